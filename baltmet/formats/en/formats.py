# The portal's English dates: "7 December 2026", as the network's European readers write them
# (Django's English default is the American "Dec. 7, 2026"). Other languages use Django's own
# formats ("7. Dezember 2026", "7 grudnia 2026"); settings.FORMAT_MODULE_PATH names this.
DATE_FORMAT = "j F Y"
