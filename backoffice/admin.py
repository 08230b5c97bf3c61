"""The Django admin at /admin/ on the backoffice deployment: the same staff, roles (groups)
and audit log as the staff API. Model admins live in admin_catalog, admin_stock, admin_orders
and admin_people; importing them registers them."""

from django.contrib import admin

from backoffice import (  # noqa: F401
    admin_campaigns,
    admin_catalog,
    admin_inventory_jobs,
    admin_orders,
    admin_people,
    admin_stock,
)

admin.site.site_header = "Tienda backoffice"
admin.site.site_title = "Tienda backoffice"
admin.site.index_title = "Shop administration"
