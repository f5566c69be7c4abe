package chat

import (
	"fmt"
	"strconv"
)

// FormatSize shows a byte count in MB (1 MB = 2^20 bytes, as the limits are
// defined), rounded up to a tenth so that a file one byte over the limit
// never reads as exactly the limit.
func FormatSize(n int64) string {
	const mb = 1 << 20
	if n%mb == 0 {
		return FormatInt(n/mb) + " MB"
	}
	if n < mb {
		return FormatInt((n+1023)/1024) + " KB"
	}
	tenths := (n*10 + mb - 1) / mb
	return fmt.Sprintf("%s.%d MB", FormatInt(tenths/10), tenths%10)
}

// FormatInt writes n with thousands separators: byte offsets and pixel
// counts are easier to read that way.
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
