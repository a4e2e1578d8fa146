"""The workspace lock: a wait that runs out is a problem of the catalogue (workspace.locked)."""

from __future__ import annotations

import os

import pytest

from automation.lock import LockTimeout, WorkspaceLock
from automation.problems import CchcError


@pytest.mark.skipif(os.name == "nt", reason="POSIX flock")
def test_a_lock_held_elsewhere_times_out_with_its_code(tmp_path):
    import fcntl

    path = tmp_path / ".cchc.lock"
    with open(path, "w") as other:  # another holder (flock: per open file, so this process conflicts too)
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with pytest.raises(LockTimeout) as err:
            WorkspaceLock(path).acquire(timeout=0.3, poll=0.05)
    assert isinstance(err.value, CchcError) and err.value.code == "workspace.locked"
    assert err.value.path == str(path) and str(path) in err.value.problem.message
    with WorkspaceLock(path):  # released by the other holder: free again
        pass
