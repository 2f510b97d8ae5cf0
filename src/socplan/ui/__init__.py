"""The Qt GUI. The only package that imports PySide6. Organised by feature folder."""
