"""Excel and Word import/export."""
