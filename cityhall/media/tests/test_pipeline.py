"""Tests for cityhall.media.pipeline, on images made here with Pillow (no fixtures)."""

from __future__ import annotations

import hashlib
import io
import pickle
import struct
import zlib
from typing import Any

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin, features

from cityhall.media import pipeline
from cityhall.media.pipeline import (
    MAX_EDGE,
    MAX_UPLOAD_BYTES,
    THUMB_EDGE,
    PhotoRejected,
    SanitisedPhoto,
    sanitise_photo,
    sniff_image_type,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- helpers -----------------------------------------------------------------


def _photo(size: tuple[int, int] = (300, 200), mode: str = "RGB") -> Image.Image:
    """A blue image with a red block in its top-left corner, to see rotations."""
    im = Image.new("RGB", size, (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 40, 40))
    return im.convert(mode)


def _save(im: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **params)
    return buf.getvalue()


def _gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[GPS_IFD] = {
        1: "N",
        2: (40.0, 26.0, 46.0),
        3: "W",
        4: (79.0, 58.0, 56.0),
        0x12: "WGS-84",
        0x1B: b"ASCII\x00\x00\x00GPS",  # GPSProcessingMethod: puts b"GPS" in the bytes
    }
    return exif


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares width x height, with (valid CRCs and) almost no data."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * 64)
    return PNG_MAGIC + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _is_red(pixel: Any) -> bool:
    r, g, b = pixel[:3]
    return bool(r > 200 and g < 60 and b < 60)


def _is_blue(pixel: Any) -> bool:
    r, g, b = pixel[:3]
    return bool(b > 200 and r < 60 and g < 60)


def _open(content: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(content))
    im.load()
    return im


def _assert_clean(content: bytes) -> None:
    """No metadata of any kind survives in an output file."""
    im = _open(content)
    exif = im.getexif()
    assert len(exif) == 0
    assert exif.get_ifd(GPS_IFD) == {}
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"):
        assert key not in im.info
    for needle in (b"Exif", b"GPS", b"xmpmeta", b"secret", b"SecretPhoneMaker"):
        assert needle not in content


def _rejected(data: bytes | io.BufferedIOBase, **kwargs: Any) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as info:
        sanitise_photo(data, **kwargs)  # type: ignore[arg-type]
    assert info.value.message and str(info.value) == info.value.message
    return info.value


# --- metadata and orientation ------------------------------------------------


def test_jpeg_gps_exif_xmp_comment_are_stripped_and_orientation_applied() -> None:
    source = _save(
        _photo((300, 200)),
        "JPEG",
        exif=_gps_exif(orientation=6),
        comment=b"secret comment",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret place</x:xmpmeta>',
    )
    # The input really carries what we claim to strip.
    assert _open(source).getexif().get_ifd(GPS_IFD)[1] == "N"
    assert b"Exif" in source and b"GPS" in source

    result = sanitise_photo(source)

    _assert_clean(result.content)
    _assert_clean(result.thumbnail)
    assert result.source_type == "jpeg"
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    # Orientation 6 = rotate 90 degrees clockwise to display: 300x200 -> 200x300,
    # and the red top-left corner ends up top-right.
    assert (result.width, result.height) == (200, 300)
    out = _open(result.content).convert("RGB")
    assert out.size == (200, 300)
    assert _is_red(out.getpixel((200 - 20, 20)))
    assert _is_blue(out.getpixel((20, 20)))


def test_webp_exif_is_stripped() -> None:
    result = sanitise_photo(_save(_photo(), "WEBP", exif=_gps_exif()))
    assert result.source_type == "webp"
    assert result.content_type == "image/jpeg"
    _assert_clean(result.content)


def test_png_text_chunks_and_icc_profile_are_stripped() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret comment")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = _save(_photo(mode="RGBA"), "PNG", pnginfo=text, icc_profile=srgb)
    source_with_alpha = _photo(mode="RGBA")
    source_with_alpha.putpixel((0, 0), (0, 0, 0, 0))
    for data in (
        source,
        _save(source_with_alpha, "PNG", pnginfo=text, icc_profile=srgb),
    ):
        result = sanitise_photo(data)
        _assert_clean(result.content)
        _assert_clean(result.thumbnail)


def test_broken_icc_profile_does_not_reject_the_photo() -> None:
    result = sanitise_photo(_save(_photo(), "JPEG", icc_profile=b"not a profile" * 10))
    _assert_clean(result.content)


def test_output_is_rebuilt_not_copied() -> None:
    source = _save(_photo(), "JPEG", quality=100)
    result = sanitise_photo(source)
    assert result.content != source
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert sanitise_photo(source).sha256 == result.sha256  # deterministic


# --- formats -----------------------------------------------------------------


def test_png_with_transparency_stays_png_with_alpha() -> None:
    im = _photo(mode="RGBA")
    im.paste((0, 255, 0, 0), (100, 100, 200, 200))  # a fully transparent hole
    result = sanitise_photo(_save(im, "PNG"))
    assert (result.content_type, result.extension) == ("image/png", "png")
    assert result.content.startswith(PNG_MAGIC)
    assert result.thumbnail.startswith(PNG_MAGIC)
    out = _open(result.content)
    assert out.mode == "RGBA"
    assert out.getpixel((150, 150))[3] == 0  # type: ignore[index]
    assert out.getpixel((5, 5)) == (255, 0, 0, 255)
    assert _open(result.thumbnail).mode == "RGBA"


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_opaque_png_becomes_jpeg(mode: str) -> None:
    result = sanitise_photo(_save(_photo(mode=mode), "PNG"))
    assert result.source_type == "png"
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    assert result.content.startswith(b"\xff\xd8\xff")
    assert result.thumbnail.startswith(b"\xff\xd8\xff")
    assert _open(result.content).mode == "RGB"


@pytest.mark.parametrize("mode", ["LA", "P"])
def test_other_transparent_modes_become_rgba_png(mode: str) -> None:
    if mode == "LA":
        data = _save(Image.new("LA", (50, 50), (128, 0)), "PNG")
    else:
        im = Image.new("P", (50, 50), 0)
        im.putpalette([255, 0, 0, 0, 255, 0])
        im.paste(1, (0, 0, 20, 20))  # palette entry 1 is the transparent one
        data = _save(im, "PNG", transparency=1)
    result = sanitise_photo(data)
    assert result.content_type == "image/png"
    assert _open(result.content).getpixel((10, 10))[3] == 0  # type: ignore[index]


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped() -> None:
    im = Image.new("I;16", (20, 20), 40000)
    result = sanitise_photo(_save(im, "PNG"))
    r, g, b = _open(result.content).getpixel((10, 10))  # type: ignore[misc]
    assert r == g == b
    assert abs(r - 40000 // 256) <= 2  # Pillow's plain convert() would give 255


def test_cmyk_jpeg_becomes_rgb() -> None:
    im = Image.new("CMYK", (60, 40), (0, 255, 255, 0))  # red in CMYK
    result = sanitise_photo(_save(im, "JPEG"))
    out = _open(result.content)
    assert out.mode == "RGB"
    assert _is_red(out.getpixel((30, 20)))


def test_gif_first_frame_is_used() -> None:
    frames = [Image.new("RGB", (64, 48), c) for c in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    result = sanitise_photo(buf.getvalue())
    assert result.source_type == "gif"
    assert result.content_type == "image/jpeg"
    assert _is_red(_open(result.content).getpixel((32, 24)))


def test_transparent_gif_becomes_png() -> None:
    im = Image.new("P", (40, 40), 0)
    im.putpalette([255, 0, 0, 0, 255, 0])
    im.paste(1, (0, 0, 20, 20))
    result = sanitise_photo(_save(im, "GIF", transparency=1))
    assert result.content_type == "image/png"
    out = _open(result.content)
    assert out.getpixel((5, 5))[3] == 0  # type: ignore[index]
    assert out.getpixel((30, 30)) == (255, 0, 0, 255)


def test_webp_is_accepted() -> None:
    result = sanitise_photo(_save(_photo(), "WEBP", quality=80))
    assert result.source_type == "webp"
    assert (result.width, result.height) == (300, 200)


def _heif_encoder_available() -> bool:
    return bool(pillow_heif.libheif_info().get("HEIF"))


@pytest.mark.skipif(not _heif_encoder_available(), reason="this pillow-heif has no HEVC encoder")
def test_heic_is_accepted_and_becomes_clean_jpeg() -> None:
    buf = io.BytesIO()
    pillow_heif.from_pillow(_photo((300, 200))).save(buf, format="HEIF", exif=_gps_exif().tobytes())
    source = buf.getvalue()
    assert sniff_image_type(source[:64]) == "heif"
    assert b"Exif" in source

    result = sanitise_photo(source)

    assert result.source_type == "heif"
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    assert (result.width, result.height) == (300, 200)
    _assert_clean(result.content)


@pytest.mark.skipif(not _heif_encoder_available(), reason="this pillow-heif has no HEVC encoder")
def test_heic_orientation_is_applied_exactly_once() -> None:
    # pillow-heif turns EXIF orientation into a HEIF 'irot' transform that libheif
    # applies on decode; applying EXIF again would rotate the photo twice.
    source = _save(_photo((300, 200)), "HEIF", exif=_gps_exif(orientation=6).tobytes())
    result = sanitise_photo(source)
    assert (result.width, result.height) == (200, 300)
    out = _open(result.content)
    assert _is_red(out.getpixel((180, 20)))
    assert _is_blue(out.getpixel((20, 20)))


# --- sizes ---------------------------------------------------------------------


def test_large_image_is_downscaled_and_thumbnailed() -> None:
    im = Image.linear_gradient("L").resize((3000, 1500)).convert("RGB")
    result = sanitise_photo(_save(im, "PNG", compress_level=1))
    assert (result.width, result.height) == (MAX_EDGE, MAX_EDGE // 2)
    assert _open(result.content).size == (result.width, result.height)
    assert (result.thumb_width, result.thumb_height) == (THUMB_EDGE, THUMB_EDGE // 2)
    assert _open(result.thumbnail).size == (THUMB_EDGE, THUMB_EDGE // 2)


def test_very_large_jpeg_decoded_at_reduced_scale_still_reaches_max_edge() -> None:
    result = sanitise_photo(_save(_photo((6000, 4000)), "JPEG"))
    assert (result.width, result.height) == (MAX_EDGE, 1707)


def test_small_image_is_not_upscaled() -> None:
    result = sanitise_photo(_save(_photo((120, 80)), "JPEG"))
    assert (result.width, result.height) == (120, 80)
    assert (result.thumb_width, result.thumb_height) == (120, 80)


def test_portrait_thumbnail_longest_edge() -> None:
    result = sanitise_photo(_save(_photo((900, 1800)), "JPEG"))
    assert max(result.thumb_width, result.thumb_height) == THUMB_EDGE
    assert (result.thumb_width, result.thumb_height) == (200, 400)


# --- input handling --------------------------------------------------------------


class _TrickleStream(io.RawIOBase):
    """A raw stream giving short reads (as sockets do), counting what was taken.

    It yields `prefix`, then zeros for ever if `endless`, else end of file.
    """

    def __init__(self, prefix: bytes, *, endless: bool, chunk: int = 7) -> None:
        self.prefix, self.endless, self.chunk, self.taken = prefix, endless, chunk, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.chunk)
        data = self.prefix[self.taken : self.taken + n]
        if self.endless:
            data = (data + b"\0" * n)[:n]
        buffer[: len(data)] = data
        self.taken += len(data)
        return len(data)


def test_stream_input_is_accepted() -> None:
    result = sanitise_photo(io.BytesIO(_save(_photo(), "JPEG")))
    assert isinstance(result, SanitisedPhoto)
    png = _save(_photo(), "PNG")
    stream = _TrickleStream(png, endless=False)
    assert sanitise_photo(stream).source_type == "png"  # type: ignore[arg-type]
    assert stream.taken == len(png)


def test_stream_is_read_only_one_byte_past_the_limit() -> None:
    stream = _TrickleStream(b"\xff\xd8\xff", endless=True)
    error = _rejected(stream, max_bytes=1000)  # type: ignore[arg-type]
    assert error.code == "too_large"
    assert stream.taken == 1001


def test_too_large_message_names_the_limit_in_mb() -> None:
    error = _rejected(b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES)
    assert error.code == "too_large"
    assert "15 MB" in error.message


def test_small_limit_message() -> None:
    jpeg = _save(_photo(), "JPEG")
    error = _rejected(jpeg, max_bytes=len(jpeg) - 1)
    assert error.code == "too_large"
    assert sanitise_photo(jpeg, max_bytes=len(jpeg)).source_type == "jpeg"


# --- rejections ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"Hello, this is a text file renamed .jpg\n", "not_an_image", id="text"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not_an_image", id="pdf"),
        pytest.param(b"<!DOCTYPE html><html><body>hi</body></html>", "not_an_image", id="html"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "not_an_image", id="zip"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "not_an_image", id="exe"),
        pytest.param(
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "unsupported_type",
            id="svg",
        ),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "unsupported_type", id="svg2"),
        pytest.param(_save(_photo(), "TIFF"), "unsupported_type", id="tiff"),
        pytest.param(_save(_photo(), "BMP"), "unsupported_type", id="bmp"),
        pytest.param(
            b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
            "unsupported_type",
            id="avif",
        ),
        pytest.param(_save(_photo(), "JPEG")[:300], "corrupt", id="truncated-jpeg"),
        pytest.param(_save(_photo(), "PNG")[:200], "corrupt", id="truncated-png"),
        pytest.param(PNG_MAGIC + b"\0" * 100, "corrupt", id="png-magic-then-junk"),
        pytest.param(b"\xff\xd8\xff" + b"junk" * 50, "corrupt", id="jpeg-magic-then-junk"),
        pytest.param(b"GIF89a" + b"\0" * 4, "corrupt", id="gif-header-only"),
        pytest.param(b"RIFF\0\0\0\0WEBPVP8 junk", "corrupt", id="webp-junk"),
        pytest.param(
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
            "corrupt",
            id="heic-junk",
        ),
        pytest.param(_png_header_only(100, 100), "corrupt", id="png-missing-data"),
        pytest.param(_png_header_only(7500, 7500), "too_many_pixels", id="png-56mp"),
        pytest.param(_png_header_only(20000, 20000), "too_many_pixels", id="png-400mp-bomb"),
    ],
)
def test_rejections(data: bytes, code: str) -> None:
    error = _rejected(data)
    assert error.code == code
    assert error.message.endswith(".")


def test_real_avif_is_unsupported() -> None:
    if not features.check("avif"):
        pytest.skip("this Pillow cannot write AVIF")
    assert _rejected(_save(_photo(), "AVIF")).code == "unsupported_type"


def test_rejection_messages_are_clear() -> None:
    assert "PDF" in _rejected(b"%PDF-1.4\n").message
    assert "SVG" in _rejected(b"<svg></svg>").message
    assert "JPEG, PNG, WebP, GIF or HEIC" in _rejected(b"plain text").message
    assert "megapixels" in _rejected(_png_header_only(7500, 7500)).message
    assert "JPEG" in _rejected(b"\xff\xd8\xff" + b"junk" * 50).message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pillow_bomb_warning_range_is_rejected() -> None:
    # 100 MP: past Pillow's own warning threshold (~89 MP) but below its error.
    assert _rejected(_png_header_only(10000, 10000)).code == "too_many_pixels"


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillow_bomb_warning_as_error_is_rejected_too() -> None:
    assert _rejected(_png_header_only(10000, 10000)).code == "too_many_pixels"


def test_max_pixels_parameter() -> None:
    jpeg = _save(_photo((300, 200)), "JPEG")
    assert _rejected(jpeg, max_pixels=300 * 200 - 1).code == "too_many_pixels"
    assert sanitise_photo(jpeg, max_pixels=300 * 200).width == 300


def test_default_limits_are_the_module_constants() -> None:
    assert pipeline.MAX_PIXELS >= 8064 * 6048  # a 48 MP iPhone photo must be accepted
    assert pipeline.sanitise_photo.__kwdefaults__ == {
        "max_bytes": pipeline.MAX_UPLOAD_BYTES,
        "max_pixels": pipeline.MAX_PIXELS,
    }


def test_photo_rejected_pickles() -> None:
    error = PhotoRejected("corrupt", "The JPEG file could not be read.")
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.code, clone.message, str(clone)) == (
        error.code,
        error.message,
        error.message,
    )
    assert isinstance(clone, ValueError)


# --- sniffing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00", "jpeg"),
        (PNG_MAGIC + b"\x00\x00\x00\rIHDR", "png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"GIF87a\x01\x00", "gif"),
        (b"GIF89a\x01\x00", "gif"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix", "heif"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf", "heif"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1miaf", "heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", None),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", None),  # an MP4 video
        (b"%PDF-1.7", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"II*\x00\x08\x00\x00\x00", None),
        (b"BM6\x00\x00\x00\x00\x00", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"GIF", None),
        (b"\xff\xd8", None),
        (b"", None),
        (b"hello world", None),
    ],
)
def test_sniff_image_type(head: bytes, expected: str | None) -> None:
    assert sniff_image_type(head) == expected


def test_sniff_ignores_everything_but_magic_bytes() -> None:
    # A PNG saved as "photo.jpg" with a client-sent image/jpeg is still a PNG.
    png = _save(_photo(), "PNG")
    assert sniff_image_type(png[:32]) == "png"
    assert sanitise_photo(png).source_type == "png"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_sniff_real_files(fmt: str) -> None:
    assert sniff_image_type(_save(_photo(), fmt)[:32]) == fmt.lower()


# --- robustness: nothing but PhotoRejected escapes ----------------------------------

_SEEDS = [_save(_photo((64, 48)), fmt) for fmt in ("JPEG", "PNG", "WEBP", "GIF")]
_MAGICS = [
    b"\xff\xd8\xff",
    PNG_MAGIC,
    b"RIFF\0\0\0\0WEBP",
    b"GIF89a",
    b"\0\0\0\x18ftypheic",
]


def _sanitise_or_reject(data: bytes) -> None:
    try:
        result = sanitise_photo(data, max_bytes=1 << 16)
    except PhotoRejected as error:
        assert error.code in {
            "too_large",
            "empty",
            "not_an_image",
            "unsupported_type",
            "too_many_pixels",
            "corrupt",
        }
    else:
        assert max(result.width, result.height) <= MAX_EDGE
        _assert_clean(result.content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(magic=st.sampled_from(_MAGICS), tail=st.binary(max_size=512))
def test_fuzz_magic_then_random(magic: bytes, tail: bytes) -> None:
    _sanitise_or_reject(magic + tail)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    cut=st.integers(min_value=1),
)
def test_fuzz_mutated_real_images(seed: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(seed)
    for position, value in edits:
        data[position % len(data)] = value
    _sanitise_or_reject(bytes(data[: max(1, cut % (len(data) + 1))]))
