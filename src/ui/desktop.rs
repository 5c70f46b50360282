//! The app's identity on the desktop: the application id that ties its windows to the
//! installed `.desktop` entry (Wayland `app_id`, X11 `WM_CLASS`), and the icon drawn in the
//! title bar and task switcher. The icon is embedded so a bare binary shows it too; its PNG is
//! rendered from `assets/icons/handprint.svg` by `packaging/render-icons.sh`.

/// The application id: the desktop entry's file name (`assets/dev.handprint.Handprint.desktop`)
/// and its `StartupWMClass`, so the desktop groups the windows under the installed entry.
pub const APP_ID: &str = "dev.handprint.Handprint";

/// The 256 px icon, the largest a window manager asks for in practice.
const ICON_PNG: &[u8] =
    include_bytes!("../../assets/icons/hicolor/256x256/apps/dev.handprint.Handprint.png");

/// The window settings every Handprint window shares: the app id and the icon.
pub fn viewport() -> egui::ViewportBuilder {
    let builder = egui::ViewportBuilder::default().with_app_id(APP_ID);
    // The bytes are compiled in and a test decodes them; should decoding ever fail, the
    // window opens with the toolkit's default icon rather than not at all.
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => builder.with_icon(icon),
        Err(_) => builder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_icon_decodes_to_a_square_256_px_image() {
        let icon = eframe::icon_data::from_png_bytes(ICON_PNG).expect("the embedded PNG decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }

    #[test]
    fn app_id_names_the_installed_desktop_entry() {
        let entry = include_str!("../../assets/dev.handprint.Handprint.desktop");
        assert!(entry.contains(&format!("StartupWMClass={APP_ID}\n")), "{entry}");
        assert!(entry.contains(&format!("Icon={APP_ID}\n")), "{entry}");
    }
}
