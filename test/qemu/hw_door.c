/*
 * The kernel's side of core/hw.h beyond bytes: 16- and 32-bit port reads and writes, on devices
 * QEMU's PC machine always has. The PCI configuration mechanism (address port 0xcf8, data port
 * 0xcfc) names the host bridge at bus 0, device 0 (vendor 0x8086, device 0x1237: the i440FX);
 * a 16-bit write to the VGA CRTC index port 0x3d4 sets the index (low byte) and the register
 * (high byte, at 0x3d5) in one go. Memory-mapped registers go through the direct map: the local
 * APIC at 0xfee00000 has a version register (an integrated APIC reads 0x1X) and a task priority
 * register that reads back what was written.
 *
 * qemu-scenario
 */
#include "core/hw.h"
#include "core/panic.h"
#include "test/qemu/ktest/ktest.h"

#define PCI_ADDRESS 0xcf8
#define PCI_DATA    0xcfc
#define PCI_ENABLE  0x80000000u // bit 31: configuration access; bus 0, device 0, function 0

#define LAPIC_PHYS    0xfee00000u
#define LAPIC_VERSION 0x30
#define LAPIC_TPR     0x80

#define CRTC_INDEX      0x3d4
#define CRTC_DATA       0x3d5
#define CRTC_CURSOR_LOW 0x0f

KTEST(dword_write_and_read_of_the_pci_address_register)
{
    hw_outl(PCI_ADDRESS, PCI_ENABLE);
    KT_ASSERT_EQ(hw_inl(PCI_ADDRESS), PCI_ENABLE);
}

KTEST(pci_host_bridge_ids_read_as_dword_and_word)
{
    hw_outl(PCI_ADDRESS, PCI_ENABLE); // register 0: device id << 16 | vendor id
    KT_ASSERT_EQ(hw_inl(PCI_DATA), 0x12378086);
    KT_ASSERT_EQ(hw_inw(PCI_DATA), 0x8086);
    KT_ASSERT_EQ(hw_inw(PCI_DATA + 2), 0x1237);
}

KTEST(word_write_sets_a_crtc_register_through_index_and_data)
{
    hw_outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    uint8_t saved = hw_inb(CRTC_DATA);
    hw_outw(CRTC_INDEX, (uint16_t)(0x5a << 8 | CRTC_CURSOR_LOW));
    hw_outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    uint8_t got = hw_inb(CRTC_DATA);
    hw_outb(CRTC_DATA, saved);
    KT_ASSERT_EQ(got, 0x5a);
}

static uintptr_t lapic(unsigned reg)
{
    void *p = hw_phys_to_virt(LAPIC_PHYS + reg, 4);
    KASSERT(p != NULL);
    return (uintptr_t)p;
}

KTEST(mmio_read_of_the_local_apic_version)
{
    KT_ASSERT_EQ(hw_mmio_read32(lapic(LAPIC_VERSION)) & 0xf0, 0x10);
}

KTEST(mmio_write_and_read_back_of_the_task_priority)
{
    uint32_t saved = hw_mmio_read32(lapic(LAPIC_TPR));
    hw_mmio_write32(lapic(LAPIC_TPR), 0x20);
    uint32_t got = hw_mmio_read32(lapic(LAPIC_TPR));
    hw_mmio_write32(lapic(LAPIC_TPR), saved);
    KT_ASSERT_EQ(got, 0x20);
    KT_ASSERT_EQ(hw_mmio_read32(lapic(LAPIC_TPR)), saved);
}
