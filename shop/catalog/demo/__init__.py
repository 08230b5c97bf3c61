"""The deterministic demo shop (`manage.py seed_demo`): pure planners (calendar, catalog,
people, orders, stock; plain `random`, no Django) and the writer that stores a plan with the
ORM and the pictures in blob storage. Ported from the legacy `tienda.adapters.db.demo_shop*`."""
