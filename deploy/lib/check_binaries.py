"""Checks that each named file is in a publish folder and is a binary for the runtime's machine.

    python3 deploy/lib/check_binaries.py RID FOLDER FILE...

Reads the headers itself (ELF e_machine, PE machine, Mach-O cputype), so no 'file' command is needed. Exits 1,
naming every file that is missing, of another operating system's format, or built for another machine.
"""
import pathlib
import struct
import sys

MACHINES = {"x64": {"elf": 62, "pe": 0x8664, "macho": 0x01000007}, "arm64": {"elf": 183, "pe": 0xAA64, "macho": 0x0100000C}}
FORMATS = {"win": "pe", "osx": "macho"}  # every other runtime (linux, linux-musl, …): elf


def machine_of(path: pathlib.Path):
    head = path.read_bytes()[:4096]
    if head[:4] == b"\x7fELF":
        return "elf", struct.unpack_from("<H", head, 18)[0]
    if head[:2] == b"MZ":
        pe = struct.unpack_from("<I", head, 0x3C)[0]
        if head[pe:pe + 4] != b"PE\0\0":
            return None, None
        return "pe", struct.unpack_from("<H", head, pe + 4)[0]
    if head[:4] == b"\xcf\xfa\xed\xfe":
        return "macho", struct.unpack_from("<I", head, 4)[0]
    return None, None


def main() -> int:
    rid, folder, names = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
    arch = rid.rsplit("-", 1)[-1]
    expected = FORMATS.get(rid.split("-", 1)[0], "elf")
    if arch not in MACHINES:
        print(f"check_binaries: no machine known for runtime '{rid}'")
        return 1
    problems = []
    for name in names:
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        kind, machine = machine_of(path)
        if kind is None:
            problems.append(f"{name}: not an ELF, PE or Mach-O binary")
        elif kind != expected:
            problems.append(f"{name}: a {kind} binary, not the {expected} that {rid} loads")
        elif machine != MACHINES[arch][kind]:
            problems.append(f"{name}: built for machine {machine:#x}, not {arch} ({MACHINES[arch][kind]:#x})")
    for p in problems:
        print(f"{rid}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
