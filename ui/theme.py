"""Touch-first look: large type and targets no smaller than 9 mm.

Sizes are in Qt's device-independent pixels (96 per inch), which Qt scales on high-DPI
screens, so 48 px is about 12.7 mm at 96 dpi and stays that size on a 4K panel.
"""

from __future__ import annotations

TOUCH_MIN_PX = 48
"""The smallest target anywhere, border included (9 mm is 34 px at 96 dpi; 48 px leaves
margin). Style sheet sizes are of the content box, hence the ``- 4`` for the border below."""
PRIMARY_PX = 64
BANNER_PX = 56
"""The message banner's fixed height: two lines at its smallest type, so a message never
moves the keys above it (issue 12, point 4)."""
BANNER_FONT_PX = (20, 18, 16)
"""The banner's type sizes, largest first: a long message is set smaller to fit."""
BANNER_INSET = (2 * (10 + 2), 2 * (2 + 2))
"""The banner's padding and border around its text, across and down (the style below)."""

STYLE = f"""
QWidget {{ font-size: 20px; color: #1b1b1f; }}
QMainWindow, #screen {{ background: #f6f5f2; }}
QPushButton {{ min-height: {TOUCH_MIN_PX}px; min-width: {TOUCH_MIN_PX}px; padding: 6px 18px;
  border-radius: 10px; background: #ffffff; border: 2px solid #c9c6bf; }}
QPushButton:pressed {{ background: #e8e4da; }}
QPushButton:disabled {{ color: #9a978f; border-color: #e0ddd6; }}
QPushButton[role="primary"] {{ min-height: {PRIMARY_PX}px; background: #0b6e4f; color: white;
  border-color: #0b6e4f; font-size: 24px; font-weight: bold; }}
QPushButton[role="primary"]:disabled {{ background: #8fb8aa; border-color: #8fb8aa; }}
QPushButton[role="key"] {{ min-height: {TOUCH_MIN_PX - 4}px; min-width: {TOUCH_MIN_PX - 4}px;
  padding: 0; }}
QPushButton[role="danger"] {{ background: #b3261e; color: white; border-color: #b3261e; }}
QPushButton[role="lang"]:checked {{ background: #1b1b1f; color: white; }}
QPushButton[role="staff"] {{ padding: 6px 8px; }}
QPushButton[role="staff"]:checked {{ background: #0b6e4f; color: white; border-color: #0b6e4f;
  font-weight: bold; }}
QLineEdit, QSpinBox {{ min-height: {TOUCH_MIN_PX}px; font-size: 22px; padding: 0 10px;
  border: 2px solid #c9c6bf; border-radius: 8px; background: white; }}
QLineEdit:focus {{ border-color: #0b6e4f; }}
QCheckBox::indicator {{ width: 36px; height: 36px; }}
QCheckBox {{ min-height: {TOUCH_MIN_PX}px; }}
QListWidget {{ font-size: 20px; background: white; border-radius: 8px; }}
QListWidget::item {{ min-height: {TOUCH_MIN_PX}px; }}
#title {{ font-size: 40px; font-weight: bold; }}
#huge {{ font-size: 56px; font-weight: bold; color: #0b6e4f; }}
#subtle {{ color: #5d5a53; }}
#offer {{ color: #8a3b00; font-weight: bold; }}
#error {{ color: #8c1d18; font-weight: bold; }}
QComboBox {{ min-height: {TOUCH_MIN_PX}px; font-size: 20px; padding: 0 10px;
  border: 2px solid #c9c6bf; border-radius: 8px; background: white; }}
QComboBox QAbstractItemView::item {{ min-height: {TOUCH_MIN_PX}px; }}
#tier {{ font-size: 22px; font-weight: bold; padding: 4px 14px; border-radius: 14px;
  background: #d8c7a0; }}
#tier[rank="0"] {{ background: #e3c29b; color: #4a2c0f; }}
#tier[rank="1"] {{ background: #d5d9de; color: #2b3036; }}
#tier[rank="2"] {{ background: #f0d36b; color: #4a3b00; }}
#tier[rank="3"] {{ background: #3a3f4b; color: #f4f1ea; }}
QProgressBar {{ border: 1px solid #c9c4b8; border-radius: 6px; background: white;
  min-height: 18px; }}
QProgressBar::chunk {{ background: #0b6e4f; border-radius: 5px; }}
#banner[kind="error"] {{ background: #fde7e4; color: #8c1d18; border: 2px solid #b3261e;
  border-radius: 8px; padding: 2px 10px; }}
#banner[kind="info"] {{ background: #e2f3ec; color: #0b4d38; border: 2px solid #0b6e4f;
  border-radius: 8px; padding: 2px 10px; }}
#topbar {{ background: #1b1b1f; }}
QMenu {{ font-size: 22px; }}
QMenu::item {{ min-height: {TOUCH_MIN_PX}px; padding: 0 24px; }}
#topbar QPushButton {{ min-height: {TOUCH_MIN_PX - 4}px; font-size: 16px;
  padding: 0 7px; }}
#topbar QLabel {{ color: white; font-size: 18px; }}
#sync[state="online"] {{ background: #0b6e4f; color: white; }}
#sync[state="offline"] {{ background: #b3261e; color: white; }}
#sync[state="unknown"] {{ background: #5d5a53; color: white; }}
#sync[state="warning"] {{ background: #8a5300; color: white; }}
"""
