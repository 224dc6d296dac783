"""``ratsarchiv check``: validate corpus files (placeholder until the validation issue lands)."""
