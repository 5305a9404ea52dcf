# core/: hardware-independent sources, built into the kernel and into the host tests.
#
# Plus one generated source: core/fbcon's font (core/fbcon_font.h), converted by
# scripts/psf2c.py from console-setup's VGA font as Debian installs it (console-setup-linux,
# which scripts/deps.sh installs; no network at build time) into $(BUILD)/gen/core/fbcon_font.c,
# never committed. Each code page 437 byte's glyph comes from the first file that has its
# character. Every build that compiles core/ compiles it from there like any core/ source (its
# object is $(dir)/$(BUILD)/gen/core/fbcon_font.o); mutation testing leaves it out (CORE_GEN_SRCS).
FBCON_FONT_FILES := /usr/share/consolefonts/FullGreek-VGA16.psf.gz \
	/usr/share/consolefonts/Uni2-VGA16.psf.gz
FBCON_FONT_SRC := $(BUILD)/gen/core/fbcon_font.c
CORE_GEN_SRCS := $(FBCON_FONT_SRC)
CORE_SRCS += $(wildcard core/*.c core/*/*.c) $(CORE_GEN_SRCS)

$(FBCON_FONT_SRC): scripts/psf2c.py core/core.mk $(wildcard $(FBCON_FONT_FILES))
	@mkdir -p $(@D)
	@for f in $(FBCON_FONT_FILES); do [ -f "$$f" ] || { echo "$$f is missing: core/fbcon's font" \
		"comes from Debian's console-setup-linux, which scripts/deps.sh installs"; exit 1; }; done
	$(PYTHON) scripts/psf2c.py $(FBCON_FONT_FILES) -o $@
