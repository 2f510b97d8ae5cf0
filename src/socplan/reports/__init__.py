"""PDF documents in Russian office layout (reportlab). Imported lazily: reportlab is heavy."""
