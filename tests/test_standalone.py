"""The tests stand alone: everything they read is inside the repository, nothing they write goes to the real
home folder."""

import os
import re
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parents[1]


def test_source_documents_are_carried_by_the_repository(seeds_dir):
    assert seeds_dir.resolve().is_relative_to(ROOT)
    referenced = set()
    for path in (ROOT / "tests").rglob("*.py"):
        referenced |= set(re.findall(r"\b(00\d_[0-9a-f]{16}\.txt)", path.read_text(encoding="utf-8")))
        referenced |= {m + "_*.txt" for m in re.findall(r'glob\("(00\d)_\*\.txt"\)', path.read_text(encoding="utf-8"))}
    assert referenced, "the tests compare against the source documents"
    for name in referenced:
        assert list(seeds_dir.glob(name)), name


def test_no_test_reads_outside_the_repository():
    outside = re.compile(r"\.\./shared|/work/|parents\[2\] */ *\"shared\"|parent\.parent */ *\"shared\"|"
                         r"\"shared\" */ *\"seeds\"")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")
                 if p.name != "test_standalone.py" and outside.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_home_and_user_folders_point_to_a_temporary_folder(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    real_home = Path(os.path.expanduser("~"))
    assert real_home.resolve().is_relative_to(base)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "SOCPLAN_CONFIG_DIR",
                 "SOCPLAN_DATA_DIR"):
        assert Path(os.environ[name]).resolve().is_relative_to(base), name
    for folder in (platformdirs.user_data_dir("socplan"), platformdirs.user_config_dir("socplan"),
                   platformdirs.user_cache_dir("socplan")):
        assert Path(folder).resolve().is_relative_to(base), folder
    from socplan.cli.log import log_path
    from socplan.services.settings import data_dir, settings_file

    assert data_dir().resolve().is_relative_to(base) and settings_file().resolve().is_relative_to(base)
    assert log_path().resolve().is_relative_to(base)
