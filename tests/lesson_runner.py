"""Run one notebook once, offline, and probe its kernel: the runner behind tests/lesson_run.py.

Started by :func:`lesson_run.run_lesson` as ``python lesson_runner.py MODE SPEC.json``, inside a fresh
network namespace (``unshare -rn``, MODE ``namespace``) or with a ``sitecustomize`` that refuses
non-loopback sockets (MODE ``sockets-blocked``). It

1. brings the loopback interface up (namespace mode) and checks that neither a public address nor a
   DNS lookup can be reached, so a pass cannot come from a machine that is quietly online;
2. executes every code cell of the notebook in a fresh kernel (nbclient) and stores the widget state;
3. runs the probe cells of the spec in the same kernel, in order (each prints one ``MARKER{json}``
   line), and reads their JSON back;
4. writes the executed notebook (probe cells removed) and prints one ``RESULT{json}`` line.

It imports nothing from the course or the tests: the probes are code strings from the spec.
"""

import fcntl
import json
import socket
import struct
import sys
import time

import nbformat
from nbclient import NotebookClient


def loopback_up():
    """``ip link set lo up`` without iproute2 (SIOCGIFFLAGS / SIOCSIFFLAGS)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH22x", b"lo", 0))[:18])[1]
        fcntl.ioctl(s, 0x8914, struct.pack("16sH22x", b"lo", flags | 0x1))
    finally:
        s.close()


def network_blocked():
    """(True, []) when neither a TCP connection to a public address nor a DNS lookup works."""
    reached = []
    for host in ("1.1.1.1", "8.8.8.8"):
        try:
            socket.create_connection((host, 53), timeout=2).close()
            reached.append(host)
        except OSError:
            pass
    try:
        socket.getaddrinfo("pypi.org", 443)
        reached.append("dns")
    except OSError:
        pass
    return not reached, reached


def probe_output(cell, marker):
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith(marker)), None)
    if line is None:
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", [])
                  if o.get("output_type") == "error"]
        return {"_missing": f"the probe printed no {marker} line; {errors or text[-1500:]}"}
    return json.loads(line[len(marker):])


def main():
    mode, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    if mode == "namespace":
        loopback_up()
    blocked, reached = network_blocked()
    result = {"mode": mode, "runner_blocked": blocked, "runner_reached": reached, "probes": {}}
    if not blocked:
        print("RESULT" + json.dumps(result))
        return
    path = spec["path"]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": path.rsplit("/", 1)[0]}})
    t0 = time.perf_counter()
    n_cells = len(nb.cells)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells[:n_cells]):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            client.set_widgets_metadata()
            result["seconds"] = round(time.perf_counter() - t0, 1)
            result["ok"] = True
            for marker, code in spec["probes"]:
                cell = nbformat.v4.new_code_cell(code)
                nb.cells.append(cell)  # nbclient stores the executed cell back at its index
                try:
                    client.execute_cell(cell, len(nb.cells) - 1)
                except Exception:  # noqa: BLE001 - the probe's error output is reported below
                    pass
                result["probes"][marker] = probe_output(cell, marker)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
        if not result.get("ok"):
            result["ok"] = False
            result["error"] = f"{type(exc).__name__}: {exc}"[-3000:]
    result.setdefault("seconds", round(time.perf_counter() - t0, 1))
    del nb.cells[n_cells:]
    nbformat.write(nb, spec["out"])
    print("RESULT" + json.dumps(result))


if __name__ == "__main__":
    main()
