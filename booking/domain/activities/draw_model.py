"""A holiday period whose places are given by a wish phase and a draw (lottning), not first come.

The entities kept between requests: the period's draw settings and state, the children wished for
and their ranked wishes. The matching itself is pure and lives in draw.py."""

from __future__ import annotations

from enum import StrEnum


class DrawStatus(StrEnum):
    WISHING = "wishing"  # guardians rank wishes until the deadline; nothing is decided
    PREVIEWED = "previewed"  # staff have run the draw; the result is a preview they may adjust
    PUBLISHED = "published"  # places given; what is left opens first come with the waiting list
