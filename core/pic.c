// 8259A PIC pair: initialisation words, masks, end of interrupt, register reads, spurious IRQs.
#include "core/pic.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

// I/O ports (8259A datasheet: A0 = 0 is the command port, A0 = 1 the data port).
#define MASTER_CMD  0x20 // ICW1, OCW2, OCW3 on write; IRR/ISR (as OCW3 selected) on read
#define MASTER_DATA 0x21 // ICW2-ICW4 during initialisation, then OCW1 (the mask register)
#define SLAVE_CMD   0xa0
#define SLAVE_DATA  0xa1
#define IO_WAIT     0x80 // POST diagnostic port: a write there is a harmless ~1 us bus delay

// ICW1: bit 4 = 1 marks ICW1 (starts initialisation, clears the mask register, selects IRR for
// reads); bit 3 = 0: edge triggered; bit 1 = 0: cascade mode (ICW3 follows); bit 0 = 1: ICW4
// follows.
#define ICW1_INIT_ICW4 0x11
// ICW3 on the master: bit n set = a slave on input n (ours on IRQ 2).
#define ICW3_MASTER_SLAVE_ON_IRQ2 (1u << PIC_CASCADE_IRQ)
// ICW3 on the slave: bits 0-2 = the master input it is wired to (its cascade identity).
#define ICW3_SLAVE_ID PIC_CASCADE_IRQ
// ICW4: bit 0 = 1: 8086/88 mode (the CPU reads a vector); bit 1 = 0: normal (not automatic) EOI;
// bits 2-3 = 0: not buffered; bit 4 = 0: not special fully nested.
#define ICW4_8086 0x01

// OCW2: bits 7-5 = 001: non-specific EOI (clears the highest-priority in-service bit).
#define OCW2_EOI 0x20
// OCW3: bit 3 = 1 marks OCW3; bits 1-0 = 1x: read register command, bit 0 = 1 ISR, 0 IRR.
#define OCW3_READ_IRR 0x0a
#define OCW3_READ_ISR 0x0b

#define LOWEST_PRIORITY_BIT 0x80 // IR7 of either chip: where spurious interrupts arrive
#define SPURIOUS_MASTER_IRQ 7
#define SPURIOUS_SLAVE_IRQ  15

static uint64_t spurious_master, spurious_slave; // atomics: handlers add, anyone reads

static void io_wait(void)
{
    hw_outb(IO_WAIT, 0); // port 0x80, POST code: only the bus delay matters
}

// Writes one initialisation word and waits: the 8259A needs time between ICWs on old hardware.
static void icw(uint16_t port, uint8_t value)
{
    hw_outb(port, value);
    io_wait();
}

static bool offset_ok(uint8_t offset)
{
    return offset % 8 == 0 && offset >= 32;
}

int pic_init(uint8_t master_offset, uint8_t slave_offset)
{
    if (!offset_ok(master_offset) || !offset_ok(slave_offset) || master_offset == slave_offset)
        return E_INVAL;
    icw(MASTER_CMD, ICW1_INIT_ICW4);             // ICW1: edge, cascade, ICW4 follows
    icw(SLAVE_CMD, ICW1_INIT_ICW4);              // ICW1 on the slave, the same
    icw(MASTER_DATA, master_offset);             // ICW2: vector base, bits 7-3 (bits 2-0 = IRQ)
    icw(SLAVE_DATA, slave_offset);               // ICW2 on the slave
    icw(MASTER_DATA, ICW3_MASTER_SLAVE_ON_IRQ2); // ICW3: slave on input 2 (bit 2)
    icw(SLAVE_DATA, ICW3_SLAVE_ID);              // ICW3 on the slave: cascade identity 2
    icw(MASTER_DATA, ICW4_8086);                 // ICW4: 8086 mode, normal EOI
    icw(SLAVE_DATA, ICW4_8086);                  // ICW4 on the slave
    // OCW1 (mask registers, bit n = 1 masks input n): all masked but the cascade.
    pic_set_mask((uint16_t) ~(1u << PIC_CASCADE_IRQ));
    __atomic_store_n(&spurious_master, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&spurious_slave, 0, __ATOMIC_RELAXED);
    return 0;
}

static uint16_t data_port(unsigned irq)
{
    return irq < 8 ? MASTER_DATA : SLAVE_DATA;
}

// Sets or clears the IRQ's bit in its chip's OCW1 with interrupts off, so a handler cannot
// change the same register between our read and our write.
static void set_masked(unsigned irq, bool masked)
{
    uint16_t port = data_port(irq);
    uint8_t bit = (uint8_t)(1u << (irq % 8));
    unsigned long flags = hw_irq_save();
    uint8_t mask = hw_inb(port); // OCW1 read back: bit n = input n masked
    mask = masked ? (uint8_t)(mask | bit) : (uint8_t)(mask & ~bit);
    hw_outb(port, mask); // OCW1: the same mask with this input's bit changed
    hw_irq_restore(flags);
}

void pic_mask(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    set_masked(irq, true);
}

void pic_unmask(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    set_masked(irq, false);
}

uint16_t pic_get_mask(void)
{
    uint8_t master = hw_inb(MASTER_DATA); // OCW1 of the master: IRQ 0-7
    uint8_t slave = hw_inb(SLAVE_DATA);   // OCW1 of the slave: IRQ 8-15
    return (uint16_t)(slave << 8 | master);
}

void pic_set_mask(uint16_t mask)
{
    hw_outb(MASTER_DATA, (uint8_t)(mask & 0xff)); // OCW1: bit n = 1 masks IRQ n
    hw_outb(SLAVE_DATA, (uint8_t)(mask >> 8));    // OCW1: bit n = 1 masks IRQ 8 + n
}

void pic_eoi(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    if (irq >= 8)
        hw_outb(SLAVE_CMD, OCW2_EOI); // OCW2: non-specific EOI on the slave
    hw_outb(MASTER_CMD, OCW2_EOI);    // OCW2: non-specific EOI on the master (IRQ 2 for 8-15)
}

// Selects a register with OCW3 on both chips, then reads both.
static uint16_t read_both(uint8_t ocw3)
{
    hw_outb(MASTER_CMD, ocw3); // OCW3: the next read of the command port returns ISR or IRR
    hw_outb(SLAVE_CMD, ocw3);  // OCW3 on the slave, the same
    uint8_t master = hw_inb(MASTER_CMD);
    uint8_t slave = hw_inb(SLAVE_CMD);
    return (uint16_t)(slave << 8 | master);
}

uint16_t pic_read_isr(void)
{
    return read_both(OCW3_READ_ISR);
}

uint16_t pic_read_irr(void)
{
    return read_both(OCW3_READ_IRR);
}

// The in-service register of the chip at cmd_port.
static uint8_t read_isr_of(uint16_t cmd_port)
{
    hw_outb(cmd_port, OCW3_READ_ISR); // OCW3: select the ISR for the next read
    return hw_inb(cmd_port);
}

bool pic_is_spurious(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    if (irq == SPURIOUS_MASTER_IRQ) {
        if (read_isr_of(MASTER_CMD) & LOWEST_PRIORITY_BIT)
            return false;
        __atomic_fetch_add(&spurious_master, 1, __ATOMIC_RELAXED);
        return true; // no EOI: nothing is in service on either chip
    }
    if (irq == SPURIOUS_SLAVE_IRQ) {
        if (read_isr_of(SLAVE_CMD) & LOWEST_PRIORITY_BIT)
            return false;
        __atomic_fetch_add(&spurious_slave, 1, __ATOMIC_RELAXED);
        hw_outb(MASTER_CMD, OCW2_EOI); // OCW2: EOI for the master's real IRQ 2; none to the slave
        return true;
    }
    return false;
}

uint64_t pic_spurious_count(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    if (irq == SPURIOUS_MASTER_IRQ)
        return __atomic_load_n(&spurious_master, __ATOMIC_RELAXED);
    if (irq == SPURIOUS_SLAVE_IRQ)
        return __atomic_load_n(&spurious_slave, __ATOMIC_RELAXED);
    return 0;
}

void pic_disable(void)
{
    pic_set_mask(0xffff); // OCW1 on both chips: every input masked
}
