package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

func (u *UI) menu() *fyne.MainMenu {
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, f func()) *fyne.MenuItem {
		i := fyne.NewMenuItem(label, f)
		if key != "" {
			i.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		}
		return i
	}
	def := fyne.KeyModifierShortcutDefault
	// Quit is not held back by a dialog: the way out always works.
	quit := item("Quit", fyne.KeyQ, def, u.quit)
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("New chat", fyne.KeyN, def, u.unlessDialog(u.newChat)),
		item("Export…", fyne.KeyE, def, u.unlessDialog(func() { u.showExport() })),
		item("Import…", fyne.KeyO, def, u.unlessDialog(u.showImport)),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma, def, u.unlessDialog(u.showSettings)),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	edit := fyne.NewMenu("Edit",
		item("Copy last answer", fyne.KeyC, def|fyne.KeyModifierShift, u.unlessDialog(u.copyLastAnswer)),
		fyne.NewMenuItemSeparator(),
		item("This chat's settings…", "", 0, u.unlessDialog(func() { u.showChatSettings() })))
	// The theme in use is ticked.
	var themes []*fyne.MenuItem
	var view *fyne.Menu
	themeItem := func(label, name string) *fyne.MenuItem {
		i := fyne.NewMenuItem(label, nil)
		i.Action = func() {
			u.store.SetTheme(name)
			u.fyneApp.Settings().SetTheme(themeFor(name))
			for _, t := range themes {
				t.Checked = t == i
			}
			view.Refresh()
		}
		i.Checked = name == u.store.Theme()
		themes = append(themes, i)
		return i
	}
	view = fyne.NewMenu("View", themeItem("System theme", "system"), themeItem("Light theme", "light"), themeItem("Dark theme", "dark"))
	if keep := u.keepInTrayItem(); keep != nil {
		view.Items = append(view.Items, fyne.NewMenuItemSeparator(), keep)
	}
	return fyne.NewMainMenu(file, edit, view)
}

func (u *UI) addShortcuts() {
	def := fyne.KeyModifierShortcutDefault
	add := func(key fyne.KeyName, mod fyne.KeyModifier, f func()) {
		u.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { f() })
	}
	add(fyne.KeyN, def, u.unlessDialog(u.newChat))
	add(fyne.KeyE, def, u.unlessDialog(func() { u.showExport() }))
	add(fyne.KeyO, def, u.unlessDialog(u.showImport))
	add(fyne.KeyComma, def, u.unlessDialog(u.showSettings))
	add(fyne.KeyQ, def, u.quit)
	add(fyne.KeyC, def|fyne.KeyModifierShift, u.unlessDialog(u.copyLastAnswer))
	add(fyne.KeyF, def, u.unlessDialog(u.openFind))
	add(fyne.KeyK, def, u.unlessDialog(func() { u.side.focusSearch() }))
}

// unlessDialog is f, doing nothing while a dialog (or a pop-up) is over
// the window: the desktop runs the main menu's shortcuts whatever has the
// keys, and Ctrl+N pressed in Settings or in a question changed the chat
// behind it. A menu closes before its item runs, so it does not count.
func (u *UI) unlessDialog(f func()) func() {
	return func() {
		if u.win.Canvas().Overlays().Top() != nil {
			return
		}
		f()
	}
}
