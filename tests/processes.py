"""Processes started in a session of their own, and signals to a whole session: an RQ
worker puts each job's work horse in a process group of its own, so only the session
takes both."""

import contextlib
import os
import signal


def session_members(session_id: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[3]) == session_id:  # state, parent, group, session, ...
            members.append(int(entry))
    return members


def signal_session(session_id: int, sig: int) -> int:
    """Send ``sig`` to every process of a session; returns how many there were."""
    members = session_members(session_id)
    for pid in members:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    return len(members)


def kill_session(session_id: int) -> None:
    """SIGKILL every process of a session: the worker and its work horse (killing the
    worker's group alone would leave the horse sending)."""
    signal_session(session_id, signal.SIGKILL)
