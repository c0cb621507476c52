CSV = "csv"
