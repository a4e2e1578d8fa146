"""Weekly status: the status workbook and the mail that carries it."""
