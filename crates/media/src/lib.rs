//! Uploaded images (posters, logos, report photos): recognised by content, bounded in pixels,
//! scaled down to a sensible width and re-encoded. Re-encoding also drops embedded metadata such
//! as the GPS position a phone writes into a photo. A leaf crate because `image` is heavy.

use image::{DynamicImage, GenericImageView, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Images wider or taller than this are refused before decoding (decompression bombs).
pub const MAX_SIDE: u32 = 10_000;

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

/// Decodes, scales down to at most `max_width` pixels wide (never up) and re-encodes: JPEG
/// (quality 85) for opaque images, PNG when the image has transparency.
pub fn prepare(bytes: &[u8], max_width: u32) -> Result<Prepared, MediaError> {
    let format = sniff(bytes).ok_or(MediaError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader.into_dimensions().map_err(|_| MediaError::Broken)?;
    if w > MAX_SIDE || h > MAX_SIDE || w == 0 || h == 0 {
        return Err(MediaError::TooManyPixels(w, h));
    }
    reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| MediaError::Broken)?;
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
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        rgb.write_with_encoder(enc)
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

fn has_transparency(img: &DynamicImage) -> bool {
    img.color().has_alpha() && img.to_rgba8().pixels().any(|p| p.0[3] < 255)
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
}
