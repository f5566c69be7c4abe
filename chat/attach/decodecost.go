package attach

import (
	"image"
	"image/color"
)

// MaxDecodeBytes bounds the memory a decoder may take for one image. The
// pixel limits alone do not: a 16-bit PNG takes 8 bytes a pixel, and a
// progressive JPEG keeps 4 bytes a pixel for each colour channel while it
// decodes, so a file of a few hundred KB within MaxPixels could make the
// decoder take well over a gigabyte (and the system end azchat, draft and
// all). A 24-megapixel progressive photo takes at most 360 MB.
const MaxDecodeBytes = 384 << 20

// decodeCost is an upper bound on what decoding an image of format f and
// header cfg allocates, in bytes; data is the file, read for what the
// header does not tell (a JPEG's progressive mode).
func decodeCost(f *imageFormat, cfg image.Config, data []byte) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch f {
	case formatJPEG:
		// Go decodes a JPEG into a plane a channel; RGB (Adobe) and CMYK
		// ones are then converted into a 4-byte image of their own.
		comps, convert := int64(3), int64(0)
		switch cfg.ColorModel {
		case color.GrayModel:
			comps = 1
		case color.CMYKModel:
			comps, convert = 4, 4
		case color.RGBAModel:
			convert = 4
		}
		cost := px * (comps + convert)
		if jpegProgressive(data) {
			// The coefficients of every channel at full resolution (an
			// upper bound: subsampled channels take less).
			cost += px * 4 * comps
		}
		return cost
	case formatWEBP:
		// Lossless frames decode to NRGBA through buffers of the same
		// size; lossy ones to YCbCr with alpha (2.5 bytes a pixel).
		return px * 8
	}
	// PNG and GIF (the first frame, within the screen checked). An
	// interlaced PNG decodes each of its seven passes into an image of its
	// own before it is put together: up to twice the image.
	cost := px * bytesPerPixel(cfg.ColorModel)
	if f == formatPNG && len(data) > 28 && data[28] == 1 {
		cost *= 2
	}
	return cost
}

// bytesPerPixel is how many bytes the decoded image takes a pixel in the
// colour model a PNG or GIF header gives.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// jpegProgressive reports whether a JPEG's frame may be progressive
// (SOF2), walking its segments to the first start-of-frame marker. Only a
// clean walk to a baseline frame says no: Go's decoder skips junk bytes
// and stand-alone markers that this walk does not follow, so anything it
// cannot read is costed as progressive, the dearer reading.
func jpegProgressive(data []byte) bool {
	i := 2 // after FF D8
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return true
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xc0 || marker == 0xc1:
			return false
		case marker >= 0xc2 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
			return true // progressive, or a frame kind Go does not decode
		case marker == 0x00 || marker == 0x01 || marker >= 0xd0 && marker <= 0xd9:
			return true // no length to follow: not a header this walk reads
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return true
}

// decodeSlot lets one image be decoded (and, for a thumbnail, scaled) at
// a time in the whole process: the attach tray, the transcript's
// thumbnails and the viewer each decode off the UI thread, and several
// large images decoded at once multiplied the peak. Decode and Thumbnail
// hold it; decode does not.
var decodeSlot = make(chan struct{}, 1)
