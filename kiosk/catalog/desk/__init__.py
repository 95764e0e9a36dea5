"""The county catalog desk: item versions, browser imports with preview and review, item
edits and status changes, the region tree. Views live in admin/catalog/."""
