//! Uploaded images (posters, logos, report photos): recognised by content, bounded in pixels,
//! scaled down to a sensible width and re-encoded. Re-encoding also drops embedded metadata such
//! as the GPS position a phone writes into a photo. A leaf crate because `image` is heavy.

use image::{DynamicImage, GenericImageView, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Images wider or taller than this are refused before decoding (decompression bombs).
pub const MAX_SIDE: u32 = 10_000;

/// Images of more pixels than this (40 megapixels: a large phone photo) are refused before
/// decoding. For a GIF this bounds the logical screen and every frame, each of which the
/// decoder allocates on its own.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The most one decode may allocate: the 40 megapixels as 8-bit RGBA (160 MB), plus room for
/// the decoders' row buffers and tables. A 16-bit image of that size does not fit and is
/// refused as too large.
pub const MAX_ALLOC: u64 = MAX_PIXELS * 4 + 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MediaError {
    #[error("not a PNG, JPEG, WebP or GIF image")]
    NotAnImage,
    #[error("the image is too large ({0}×{1} pixels)")]
    TooManyPixels(u32, u32),
    #[error("the image could not be read")]
    Broken,
}

/// A stored-ready image.
#[derive(Debug)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Recognises the image by its first bytes; anything else is not an image to us.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes).ok()? {
        f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif) => {
            Some(f)
        }
        _ => None,
    }
}

fn too_many(w: u32, h: u32) -> bool {
    w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS
}

/// Reads only the headers: the format and the size the image declares, refused with
/// `TooManyPixels` when it (or, for a GIF, any frame) is over [`MAX_SIDE`] or [`MAX_PIXELS`].
/// Nothing is decoded, so this is cheap whatever the file claims.
pub fn check(bytes: &[u8]) -> Result<(ImageFormat, u32, u32), MediaError> {
    let format = sniff(bytes).ok_or(MediaError::NotAnImage)?;
    if format == ImageFormat::Gif {
        gif_sizes(bytes, |w, h| {
            if too_many(w, h) {
                Err(MediaError::TooManyPixels(w, h))
            } else {
                Ok(())
            }
        })?;
    }
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| MediaError::Broken)?;
    if too_many(w, h) {
        return Err(MediaError::TooManyPixels(w, h));
    }
    Ok((format, w, h))
}

/// Walks a GIF's blocks without decoding them and calls `each` with the logical screen's size
/// and then every frame's. A file that ends early or holds an unknown block stops the walk (the
/// decoder then finds it broken).
fn gif_sizes(
    b: &[u8],
    mut each: impl FnMut(u32, u32) -> Result<(), MediaError>,
) -> Result<(), MediaError> {
    let u16_at = |i: usize| -> Option<u32> {
        Some(u32::from(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?])))
    };
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    };
    // Data sub-blocks: a length byte, that many bytes, until a zero length.
    let skip_blocks = |mut i: usize| -> Option<usize> {
        loop {
            let n = usize::from(*b.get(i)?);
            i += 1;
            if n == 0 {
                return Some(i);
            }
            i += n;
        }
    };
    let (Some(w), Some(h), Some(&flags)) = (u16_at(6), u16_at(8), b.get(10)) else {
        return Err(MediaError::Broken);
    };
    each(w, h)?;
    let mut i = 13 + table(flags);
    loop {
        match b.get(i) {
            Some(0x21) => match skip_blocks(i + 2) {
                Some(next) => i = next,
                None => return Ok(()),
            },
            Some(0x2C) => {
                let (Some(fw), Some(fh), Some(&flags)) =
                    (u16_at(i + 5), u16_at(i + 7), b.get(i + 9))
                else {
                    return Ok(());
                };
                each(fw, fh)?;
                // descriptor (10 bytes), local colour table, LZW code size, image data
                match skip_blocks(i + 10 + table(flags) + 1) {
                    Some(next) => i = next,
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        }
    }
}

/// Decodes, scales down to at most `max_width` pixels wide (never up) and re-encodes: JPEG
/// (quality 85) for opaque images, PNG when the image has transparency. The size is checked
/// first ([`check`]) and the decode may allocate at most [`MAX_ALLOC`] bytes.
pub fn prepare(bytes: &[u8], max_width: u32) -> Result<Prepared, MediaError> {
    let (format, w, h) = check(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => MediaError::TooManyPixels(w, h),
        _ => MediaError::Broken,
    })?;
    let img = if img.width() > max_width {
        let height =
            (u64::from(img.height()) * u64::from(max_width) / u64::from(img.width())).max(1) as u32;
        img.resize_exact(max_width, height, image::imageops::FilterType::CatmullRom)
    } else {
        img
    };
    let (width, height) = img.dimensions();
    let mut out = Cursor::new(Vec::new());
    let (content_type, ext) = if has_transparency(&img) {
        img.write_to(&mut out, ImageFormat::Png)
            .map_err(|_| MediaError::Broken)?;
        ("image/png", "png")
    } else {
        let rgb = match img {
            DynamicImage::ImageRgb8(b) => b,
            other => other.to_rgb8(),
        };
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        DynamicImage::ImageRgb8(rgb)
            .write_with_encoder(enc)
            .map_err(|_| MediaError::Broken)?;
        ("image/jpeg", "jpg")
    };
    Ok(Prepared {
        bytes: out.into_inner(),
        content_type,
        ext,
        width,
        height,
    })
}

/// Whether any pixel is not fully opaque, without copying the common 8-bit images.
fn has_transparency(img: &DynamicImage) -> bool {
    match img {
        DynamicImage::ImageRgba8(b) => b.pixels().any(|p| p.0[3] < 255),
        DynamicImage::ImageLumaA8(b) => b.pixels().any(|p| p.0[1] < 255),
        i if i.color().has_alpha() => i.to_rgba8().pixels().any(|p| p.0[3] < 255),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn encode(img: DynamicImage, f: ImageFormat) -> Vec<u8> {
        let mut c = Cursor::new(Vec::new());
        img.write_to(&mut c, f).expect("encode");
        c.into_inner()
    }

    #[test]
    fn scales_wide_images_and_keeps_small_ones() {
        let wide = DynamicImage::ImageRgb8(ImageBuffer::from_pixel(2400, 1200, Rgb([200, 30, 30])));
        let p = prepare(&encode(wide, ImageFormat::Png), 1200).expect("prepared");
        assert_eq!(
            (p.width, p.height, p.content_type),
            (1200, 600, "image/jpeg")
        );
        assert_eq!(sniff(&p.bytes), Some(ImageFormat::Jpeg));
        let small = DynamicImage::ImageRgb8(ImageBuffer::from_pixel(300, 200, Rgb([1, 2, 3])));
        let p = prepare(&encode(small, ImageFormat::Jpeg), 1200).expect("prepared");
        assert_eq!((p.width, p.height), (300, 200));
    }

    #[test]
    fn transparency_stays_png() {
        let mut img = ImageBuffer::from_pixel(50, 50, Rgba([0, 0, 0, 255]));
        img.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
        let p = prepare(
            &encode(DynamicImage::ImageRgba8(img), ImageFormat::Png),
            1200,
        )
        .expect("prepared");
        assert_eq!(p.content_type, "image/png");
    }

    #[test]
    fn refuses_what_is_not_an_image() {
        assert_eq!(
            prepare(b"%PDF-1.7 not an image", 100).err(),
            Some(MediaError::NotAnImage)
        );
        assert_eq!(
            prepare(b"\x89PNG\r\n\x1a\nbroken", 100).err(),
            Some(MediaError::Broken)
        );
    }

    /// A GIF of one 1×1 frame on a `sw`×`sh` logical screen, the frame declared `fw`×`fh`
    /// (a two-colour global table, the frame's LZW data is one pixel): 35 bytes.
    pub(crate) fn gif(sw: u16, sh: u16, fw: u16, fh: u16) -> Vec<u8> {
        let mut b = b"GIF89a".to_vec();
        b.extend(sw.to_le_bytes());
        b.extend(sh.to_le_bytes());
        b.extend([0x80, 0, 0]); // global table of 2 colours
        b.extend([0, 0, 0, 255, 255, 255]);
        b.push(0x2C);
        b.extend([0, 0, 0, 0]); // left, top
        b.extend(fw.to_le_bytes());
        b.extend(fh.to_le_bytes());
        b.push(0);
        b.extend([2, 2, 0x44, 0x01, 0]); // LZW code size 2, one block, end
        b.push(0x3B);
        b
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// The PNG signature, an IHDR chunk declaring `w`×`h` and four bytes of image data that are
    /// no deflate stream: decoding it fails, so only a check made before decoding says more.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        for chunk in [ihdr, b"IDAT\xde\xad\xbe\xef".to_vec(), b"IEND".to_vec()] {
            b.extend((chunk.len() as u32 - 4).to_be_bytes());
            b.extend(&chunk);
            b.extend(crc32(&chunk).to_be_bytes());
        }
        b
    }

    #[test]
    fn the_tiny_gif_is_a_real_image() {
        assert_eq!(gif(1, 1, 1, 1).len(), 35);
        let p = prepare(&gif(1, 1, 1, 1), 100).expect("a 1×1 GIF");
        assert_eq!((p.width, p.height), (1, 1));
        assert!(prepare(&gif(200, 100, 1, 1), 100).is_ok());
    }

    #[test]
    fn bombs_are_refused_from_their_headers() {
        // 35 bytes declaring a 10000×10000 logical screen (100 megapixels, 400 MB as RGBA)
        let bomb = gif(10_000, 10_000, 1, 1);
        assert_eq!(bomb.len(), 35);
        assert_eq!(check(&bomb), Err(MediaError::TooManyPixels(10_000, 10_000)));
        assert_eq!(
            prepare(&bomb, 1200).err(),
            Some(MediaError::TooManyPixels(10_000, 10_000))
        );
        // a small screen with a huge frame, which the decoder would allocate on its own
        assert_eq!(
            prepare(&gif(1, 1, 9_000, 9_000), 1200).err(),
            Some(MediaError::TooManyPixels(9_000, 9_000))
        );
        // a huge frame after a harmless one
        let mut two = gif(100, 100, 1, 1);
        two.pop(); // trailer
        two.extend(&gif(1, 1, 8_000, 8_000)[19..]);
        assert_eq!(check(&two), Err(MediaError::TooManyPixels(8_000, 8_000)));
        // PNG headers without real image data: refused as too large, never read as broken
        assert_eq!(
            prepare(&png_header(20_000, 20_000), 1200).err(),
            Some(MediaError::TooManyPixels(20_000, 20_000))
        );
        assert_eq!(
            prepare(&png_header(7_000, 7_000), 1200).err(),
            Some(MediaError::TooManyPixels(7_000, 7_000))
        );
        assert_eq!(
            prepare(&png_header(10_000, 1), 1200).err(),
            Some(MediaError::Broken),
            "within the limits the header alone is read as broken, so the checks above ran first"
        );
        assert!(check(&png_header(8_000, 5_000)).is_ok());
    }
}
