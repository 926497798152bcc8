# The dashboard's browser tests: Playwright (.NET, from NuGet) drives Debian's chromium headless through its
# ExecutablePath (nothing is downloaded); CJK fonts so Korean screenshots show Korean. The hub itself needs ICU
# (libicu72) for its Korean and English number and date formats.
APT_PACKAGES+=(chromium fonts-noto-cjk libicu72)
