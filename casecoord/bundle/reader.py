"""Open a received container defensively: structure, names, mimetype, and bounded streaming reads.

Nothing the ZIP headers claim is trusted for safety: sizes are measured while inflating, so a
zip bomb is stopped after at most one chunk past a limit, whatever its headers say. Header values
are used only to refuse early what is plainly oversize. Entries overlapping on disk (the
"better zip bomb" that reuses one compressed stream for many entries) are refused too.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from casecoord.bundle.errors import ContainerError, DigestMismatchError, ZipBombError
from casecoord.bundle.names import check_entry_name, check_unique
from casecoord.bundle.writer import ASIC_MIMETYPE, CHUNK_SIZE

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


@dataclass(frozen=True)
class Limits:
    """Bounds a received bundle must stay within; defaults fit real evidence, not bombs.

    ``max_ratio`` applies to entries inflating past ``ratio_floor`` bytes (a small JSON file may
    legitimately compress 50:1; a gigabyte of zeros compressing 1000:1 is an attack).
    """

    max_entries: int = 10_000
    max_total_bytes: int = 64 * 1024**3
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024


class Container:
    """A ZIP opened for verification; every read goes through the limits."""

    def __init__(self, stream: BinaryIO, limits: Limits) -> None:
        self._stream = stream
        self.limits = limits
        self._inflated_total = 0
        head = stream.read(4)
        stream.seek(0, 2)
        self.file_size = stream.tell()
        stream.seek(0)
        if head != _LOCAL_SIGNATURE:
            raise ContainerError("the file is not a bundle (not a ZIP container)")
        try:
            self.zip = zipfile.ZipFile(stream)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,  # a ZIP version zipfile does not support
        ):
            raise ContainerError(
                "the bundle is truncated or damaged (its ZIP directory cannot be read); "
                "copy it again from the original"
            ) from None
        self.infos = self.zip.infolist()

    def close(self) -> None:
        """Close the ZIP and the stream under it (ZipFile leaves a passed-in stream open)."""
        self.zip.close()
        self._stream.close()

    # -- structure -------------------------------------------------------------------------

    def check_structure(self) -> None:
        """Entry count, declared sizes, overlaps, compression methods, encryption."""
        if len(self.infos) > self.limits.max_entries:
            raise ZipBombError(
                f"the bundle holds {len(self.infos)} entries, more than the "
                f"{self.limits.max_entries} allowed"
            )
        declared = 0
        for info in self.infos:
            if info.flag_bits & 0x1:
                raise ContainerError(f"the entry {info.filename!r} is ZIP-encrypted; refused")
            if info.compress_type not in _ALLOWED_METHODS:
                raise ContainerError(
                    f"the entry {info.filename!r} uses an unsupported compression method"
                )
            if info.compress_size > self.file_size:
                raise ContainerError("the bundle is truncated (an entry extends past its end)")
            declared += info.file_size
            self._check_ratio(info, info.file_size)
        if declared > self.limits.max_total_bytes:
            raise ZipBombError(
                "the bundle would inflate to more than "
                f"{self.limits.max_total_bytes // 1024**2} MiB; refused as a possible zip bomb"
            )
        ordered = sorted(self.infos, key=lambda i: i.header_offset)
        for current, following in zip(ordered, ordered[1:], strict=False):
            end = current.header_offset + 30 + len(current.orig_filename.encode("utf-8", "replace"))
            if end + current.compress_size > following.header_offset:
                raise ZipBombError(
                    "entries of the bundle overlap each other; refused as a possible zip bomb"
                )
        if ordered:
            last = ordered[-1]
            if last.header_offset + 30 + last.compress_size > self.file_size:
                raise ContainerError("the bundle is truncated (its last entry is incomplete)")

    def check_names(self) -> None:
        for info in self.infos:
            check_entry_name(info.filename)
        check_unique(info.filename for info in self.infos)

    def check_mimetype(self) -> None:
        if not self.infos or self.infos[0].filename != "mimetype":
            raise ContainerError("the bundle's first entry must be 'mimetype' (ASiC-E)")
        info = self.infos[0]
        if info.header_offset != 0:
            raise ContainerError("the 'mimetype' entry must be the first in the file")
        if info.compress_type != zipfile.ZIP_STORED:
            raise ContainerError("the 'mimetype' entry must be stored uncompressed")
        self._stream.seek(0)
        raw = self._stream.read(_LOCAL_HEADER.size)
        fields = _LOCAL_HEADER.unpack(raw)
        if info.extra or fields[10] != 0:
            raise ContainerError("the 'mimetype' entry must not carry an extra field")
        content = self.read_small(info.filename, 256)
        if content != ASIC_MIMETYPE.encode("ascii"):
            shown = content[:60].decode("ascii", "replace")
            raise ContainerError(f"the mimetype is {shown!r}, not {ASIC_MIMETYPE}")

    # -- reading ---------------------------------------------------------------------------

    def data_names(self) -> list[str]:
        """Names of entries that are files (directory entries carry nothing)."""
        return [i.filename for i in self.infos if not i.is_dir()]

    def _check_ratio(self, info: zipfile.ZipInfo, inflated: int) -> None:
        if inflated <= self.limits.ratio_floor:
            return
        if inflated > self.limits.max_ratio * max(info.compress_size, 1):
            raise ZipBombError(
                f"the entry {info.filename!r} inflates more than {self.limits.max_ratio}:1; "
                "refused as a possible zip bomb"
            )

    def stream(self, name: str) -> Iterator[bytes]:
        """Inflate ``name`` chunk by chunk, enforcing size, ratio and total limits as it goes."""
        info = self.zip.getinfo(name)
        produced = 0
        try:
            with self.zip.open(info) as entry:
                while chunk := entry.read(CHUNK_SIZE):
                    produced += len(chunk)
                    self._inflated_total += len(chunk)
                    if produced > info.file_size:
                        raise ZipBombError(
                            f"the entry {name!r} inflates beyond its declared size; refused"
                        )
                    self._check_ratio(info, produced)
                    if self._inflated_total > self.limits.max_total_bytes:
                        raise ZipBombError(
                            "the bundle inflates to more than "
                            f"{self.limits.max_total_bytes // 1024**2} MiB; refused as a "
                            "possible zip bomb"
                        )
                    yield chunk
        except (  # NotImplementedError: flag bits 5/6 (patched data, strong encryption)
            zipfile.BadZipFile,
            EOFError,
            OSError,
            ValueError,
            zlib.error,
            NotImplementedError,
        ) as exc:
            if "CRC" in str(exc):
                raise DigestMismatchError(
                    f"{name} is damaged (its checksum does not match its content)"
                ) from None
            raise ContainerError(
                f"{name} cannot be read: the bundle is truncated or damaged"
            ) from None
        if produced != info.file_size:
            raise ContainerError(f"{name} is shorter than declared: the bundle is damaged")

    def read_small(self, name: str, max_bytes: int) -> bytes:
        """Read a small entry (manifest, signature, request.json) whole, refusing oversize."""
        info = self.zip.getinfo(name)
        if info.file_size > max_bytes:
            raise ContainerError(f"{name} is larger than allowed ({max_bytes // 1024} KiB)")
        return b"".join(self.stream(name))

    def sha256(self, name: str) -> tuple[str, int]:
        """Stream ``name`` through SHA-256; return (hex digest, size)."""
        digest = hashlib.sha256()
        size = 0
        for chunk in self.stream(name):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size
