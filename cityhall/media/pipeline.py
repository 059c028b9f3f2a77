"""Turn an untrusted uploaded photo into a safe, metadata-free image and thumbnail.

Residents attach phone photos to service requests, and those photos are later
shown publicly. Phone photos carry GPS coordinates of the resident's home, device
serials and more, so nothing from the upload is kept except decoded pixels.
This module deliberately does not import Django: it is pure Pillow, fast to test.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageCms, ImageOps

# iPhones upload HEIC by default; registering once makes Image.open understand it.
pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # refuse larger before decoding
MAX_PIXELS = 52_000_000  # refuse decompression bombs; an iPhone 48 MP (8064x6048) photo still fits
MAX_EDGE = 2560  # stored image longest edge (downscale if bigger)
THUMB_EDGE = 400  # thumbnail longest edge
JPEG_QUALITY = 85

# Sniffed type -> the only Pillow plugin allowed to parse it, so a file that merely
# starts like a PNG can never be handed to some other, less hardened decoder.
_PLUGIN = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF", "heif": "HEIF"}
_HEVC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_ACCEPTED = "a JPEG, PNG, WebP, GIF or HEIC photo"
# Recognised but refused: naming what the file is helps the resident fix it.
_OTHERS: tuple[tuple[bytes, str, str], ...] = (
    (b"II*\x00", "a TIFF image", "unsupported_type"),
    (b"MM\x00*", "a TIFF image", "unsupported_type"),
    (b"BM", "a BMP image", "unsupported_type"),
    (b"8BPS", "a Photoshop file", "unsupported_type"),
    (b"%PDF", "a PDF document", "not_an_image"),
    (b"PK\x03\x04", "a ZIP archive or Office document", "not_an_image"),
    (b"MZ", "a Windows program", "not_an_image"),
    (b"\x7fELF", "a program", "not_an_image"),
)


class PhotoRejected(ValueError):
    """Raised with a machine code and a human message naming the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        # One of "too_large", "empty", "not_an_image", "unsupported_type",
        # "too_many_pixels", "corrupt": stable, for code and translations to switch on.
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[PhotoRejected], tuple[str, str]]:
        # Default exception pickling would call cls(message) and fail; task queues pickle.
        return (type(self), (self.code, self.message))


@dataclass(frozen=True)
class SanitisedPhoto:
    """The re-encoded photo and thumbnail; nothing in it comes from the upload but pixels."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes
    thumb_width: int
    thumb_height: int
    sha256: str
    source_type: str


def sniff_image_type(head: bytes) -> str | None:
    """Detects the type from magic bytes only (never the file name or a client-sent content type).

    Returns "jpeg", "png", "webp", "gif" or "heif" for accepted types, else None.
    Pass at least the first 32 bytes.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp":
        # ISO-BMFF: major brand at 8, compatible brands from 16 to the box's end.
        box_end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, box_end - 3, 4)}
        if brands & _HEVC_BRANDS:
            return "heif"
        if head[8:12] in (b"mif1", b"msf1") and not brands & {b"avif", b"avis"}:
            return "heif"
    return None


def _describe_unknown(head: bytes) -> PhotoRejected:
    """Builds the rejection for a file that is not an accepted type, naming it if known."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[4:8] == b"ftyp" and b"avi" in head[8:32]:
        found: tuple[str, str] | None = ("an AVIF image", "unsupported_type")
    elif text.startswith(b"<") and b"<svg" in text and b"<html" not in text:
        found = ("an SVG image", "unsupported_type")
    else:
        found = next(((n, c) for m, n, c in _OTHERS if head.startswith(m)), None)
    if found is None:
        return PhotoRejected("not_an_image", f"The file is not {_ACCEPTED}.")
    name, code = found
    why = "which is not accepted" if code == "unsupported_type" else "not a photo"
    return PhotoRejected(code, f"The file is {name}, {why}; please upload {_ACCEPTED}.")


def _read_bounded(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """Returns the upload's bytes, refusing more than max_bytes without reading it all."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    else:
        # Loop: raw streams may return short reads. Stop one past the limit, which is
        # enough to know it is too big without buffering a huge upload in memory.
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0 and (chunk := data.read(min(remaining, 1 << 20))):
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
    if len(raw) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):.3g} MB"
        raise PhotoRejected("too_large", f"The photo is larger than the {limit} limit.")
    if not raw:
        raise PhotoRejected("empty", "The file is empty.")
    return raw


def _to_srgb(im: Image.Image) -> Image.Image:
    """Returns the pixels as 8-bit sRGB RGB/RGBA, at most MAX_EDGE, with no metadata."""
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        # Pillow clips 16-bit values to 255 on convert; scale them down instead.
        im = im.convert("I").point(lambda v: v * (1 / 256))
    alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    target = "RGBA" if alpha else "RGB"
    if im.mode in ("P", "PA", "1"):
        im = im.convert(target)  # Pillow resizes palettes nearest-neighbour: ugly
    if max(im.size) > MAX_EDGE:
        # Shrink before colour work and copies: 40 MP is ~160 MB per RGBA copy.
        im.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        # iPhone photos are Display P3; we drop the profile, so convert colours first.
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode=target)
            if converted is not None:
                im = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # A broken profile is not worth rejecting a photo over; use the raw values.
    im = im.convert(target)
    if alpha and im.getchannel("A").getextrema()[0] == 255:
        im = im.convert("RGB")  # fully opaque after all: a JPEG is much smaller
    # Rebuild from raw pixels so no info/EXIF/XMP/ICC can ride along to the encoder.
    return Image.frombytes(im.mode, im.size, im.tobytes())


def _encode(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    if im.mode == "RGBA":
        im.save(buf, format="PNG", optimize=True)
    else:
        im.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buf.getvalue()


def sanitise_photo(
    data: bytes | BinaryIO,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> SanitisedPhoto:
    """Sniff, bound, decode, apply EXIF orientation, strip all metadata, re-encode, thumbnail.

    A stream is read from its current position. Raises PhotoRejected (and nothing
    else) for any upload that cannot become a photo.
    """
    raw = _read_bounded(data, max_bytes)
    source_type = sniff_image_type(raw[:64])
    if source_type is None:
        raise _describe_unknown(raw[:1024])
    label = "HEIC" if source_type == "heif" else source_type.upper()
    damaged = f"The {label} file could not be read; it may be damaged or incomplete."
    bomb = f"The image has too many pixels (more than {max_pixels / 1e6:g} megapixels)."
    try:
        with Image.open(io.BytesIO(raw), formats=[_PLUGIN[source_type]]) as opened:
            # Image.open has only parsed the header: check the size before decoding.
            if opened.width * opened.height > max_pixels:
                raise PhotoRejected("too_many_pixels", bomb)
            # JPEG can decode at 1/2..1/8 scale for free; it keeps at least MAX_EDGE.
            opened.draft(None, (MAX_EDGE, MAX_EDGE))
            opened.load()  # first frame only, for GIF and animated WebP
            try:
                im = ImageOps.exif_transpose(opened)
            except Exception:
                im = opened.copy()
        im = _to_srgb(im)
        thumb = im.copy()
        thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
        content, thumbnail = _encode(im), _encode(thumb)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected("too_many_pixels", bomb) from exc
    except Exception as exc:  # any decoder failure on untrusted bytes
        raise PhotoRejected("corrupt", damaged) from exc

    png = im.mode == "RGBA"
    return SanitisedPhoto(
        content=content,
        content_type="image/png" if png else "image/jpeg",
        extension="png" if png else "jpg",
        width=im.width,
        height=im.height,
        thumbnail=thumbnail,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        sha256=hashlib.sha256(content).hexdigest(),
        source_type=source_type,
    )
