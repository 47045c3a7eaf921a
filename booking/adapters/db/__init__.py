"""SQLAlchemy persistence: tables, imperative mapping, repositories, unit of work, migrations."""
