"""``ratsarchiv import ...``: placeholder."""
