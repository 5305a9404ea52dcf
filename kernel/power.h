// Restarting and switching off the machine, for the shell's `reboot` and `poweroff`.
#pragma once

// Both reach STAGE_EXIT (kernel/stage.h) right before the write that should end the machine, with
// interrupts off for its hooks: an image's last words, such as coverage data, go out before the
// machine does.

// Resets the machine: pulses the CPU reset line through the PS/2 controller (command 0xfe to port
// 0x64, once its input buffer is empty), and if the machine is still running some 100 ms later,
// triple-faults. Never returns. (QEMU, which the project runs with -no-reboot, then stops with
// exit status 0.)
_Noreturn void power_reboot(void);

// Switches the machine off, trying in turn:
//   1. ACPI S5 through QEMU's PIIX4 power management: when PCI 00:01.3 is the PIIX4 PM function
//      (8086:7113) with its I/O space on, SLP_EN with SLP_TYP 0 (S5 in QEMU's tables) goes to its
//      PM1a control register (PMBA + 4); QEMU then exits with status 0;
//   2. QEMU's isa-debug-exit device at port 0xf4 (the test runner's machines have one): the value
//      POWER_DEBUG_EXIT_VALUE, so QEMU exits with status POWER_DEBUG_EXIT_STATUS.
// Each step says on the console what it tries; each gets about 100 ms to take effect. Returns
// E_IO, having said so, when the machine is still running after both (a PC without the PIIX4's
// power management: ACPI's tables would have to be read to find its registers); the kernel then
// goes on, past the STAGE_EXIT it announced.
#define POWER_DEBUG_EXIT_PORT   0xf4
#define POWER_DEBUG_EXIT_VALUE  0x20
#define POWER_DEBUG_EXIT_STATUS ((POWER_DEBUG_EXIT_VALUE << 1) | 1) // 65
int power_off(void);
