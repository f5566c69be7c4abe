// Package assets holds azchat's icon and other embedded resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

//go:embed icon.svg
var iconSVG []byte

// Icon is the application icon (PNG, 512×512).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// IconSVG is the scalable source of the icon.
var IconSVG = fyne.NewStaticResource("icon.svg", iconSVG)
