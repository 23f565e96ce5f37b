"""The shapes every stage shares: records, their fields and tables, and their frames."""
