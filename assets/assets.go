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

//go:embed tray.png
var trayPNG []byte

// Icon is the application icon (PNG, 512×512).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// TrayIcon is the icon at the size a system tray shows it (PNG, 64×64,
// scaled from Icon): the tray protocol sends an icon as raw ARGB pixels,
// 16 KB at this size instead of 1 MB for the 512-px icon.
var TrayIcon = fyne.NewStaticResource("tray.png", trayPNG)

// IconSVG is the scalable source of the icon.
var IconSVG = fyne.NewStaticResource("icon.svg", iconSVG)
