"""Route × role expectations for the audit log viewer (staff and admins)."""

#                                anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/staff/audit"):       (302, 403, 403, 200, 200),
}
