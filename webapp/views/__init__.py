"""The site's pages, one module per page family; each HTML page has a JSON twin."""
