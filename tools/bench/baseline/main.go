// Command baseline is a bare Fyne window built from the same Fyne version
// as azchat: make bench compares azchat's start-up time and memory with it.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.azchat.baseline")
	w := a.NewWindow("baseline")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1000, 720))
	w.ShowAndRun()
}
