"""Production refuses to start on settings that would quietly break its guarantees."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "9fG2hQ7xLp4Zr8Vt1Nw6Yc3Bm5Dj0Sa"


def start(tmp_path, **overrides):
    """Import the settings in a fresh process as production would; return the process."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    env |= {
        "TAMYR_MODE": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "tamyr.example.org",
        "TAMYR_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tamyr.settings",
    } | overrides
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    done = start(tmp_path)
    assert done.returncode != 0
    assert "TAMYR_MODE=production needs REDIS_URL" in done.stderr


def test_production_starts_with_a_shared_cache(tmp_path):
    done = start(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert (done.returncode, done.stdout.strip()) == (0, "started"), done.stderr
