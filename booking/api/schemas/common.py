"""Shared field types and the pagination envelope."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

Name = Annotated[str, Meta(min_length=1, max_length=200, description="A display name: letters, digits, "
                                                                       "spaces and ordinary punctuation.")]
ShortName = Annotated[str, Meta(min_length=1, max_length=100)]
Text = Annotated[str, Meta(max_length=4000)]
Email = Annotated[str, Meta(min_length=3, max_length=254, examples=["ordforande@example.se"])]
Password = Annotated[str, Meta(min_length=1, max_length=1024)]
