"""Read files to check (encoding, BOM, binary detection) and write them back atomically."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from copylint.errors import InputError

MAX_FILE_BYTES = 256 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class SourceText:
    """A file's decoded text and how to encode it back byte-for-byte."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """``text`` in the file's original encoding, with its BOM if it had one."""
        return self.bom + text.encode(self.encoding)


def decode(data: bytes, label: str) -> SourceText:
    """Decode bytes as UTF-8 (or UTF-16 with a BOM); binary or undecodable input is an InputError."""
    bom, encoding = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", "utf-8"))
    body = data[len(bom) :]
    if encoding == "utf-8" and b"\x00" in body[:8192]:
        raise InputError(f"{label}: looks like a binary file (contains NUL bytes)")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not valid {encoding.upper()} (byte {exc.start + len(bom)}: {exc.reason})") from None
    if not text.strip():
        raise InputError(f"{label}: file is empty")
    return SourceText(label, text, encoding, bom)


def read_source(path: Path) -> SourceText:
    """Read and decode one file, with a one-line InputError for every way that can fail."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{label}: file is too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory") from None
    except PermissionError:
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror}") from None
    return decode(data, label)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file in the same folder, keeping its permissions."""
    import tempfile  # only for --fix: it costs every other start ~6 ms of imports

    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".copylint-tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
