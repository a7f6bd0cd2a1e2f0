"""Start the reviewer workspace: `python app.py` (settings from PBJ_CONFIG / PBJ_* variables)."""

from reviewer.ui.app import serve

if __name__ == "__main__":
    serve()
