// Exception names, error-code facts, page-fault decoding and the exception report.
#include "core/exception.h"
#include "core/fmt.h"
#include "core/panic.h"

static const char *const names[EXC_COUNT] = {
    [EXC_DIVIDE_ERROR] = "DIVIDE ERROR",
    [EXC_DEBUG] = "DEBUG",
    [EXC_NMI] = "NON-MASKABLE INTERRUPT",
    [EXC_BREAKPOINT] = "BREAKPOINT",
    [EXC_OVERFLOW] = "OVERFLOW",
    [EXC_BOUND_RANGE] = "BOUND RANGE EXCEEDED",
    [EXC_INVALID_OPCODE] = "INVALID OPCODE",
    [EXC_DEVICE_NA] = "DEVICE NOT AVAILABLE",
    [EXC_DOUBLE_FAULT] = "DOUBLE FAULT",
    [9] = "COPROCESSOR SEGMENT OVERRUN",
    [EXC_INVALID_TSS] = "INVALID TSS",
    [EXC_SEGMENT_NP] = "SEGMENT NOT PRESENT",
    [EXC_STACK_FAULT] = "STACK-SEGMENT FAULT",
    [EXC_GENERAL_PROT] = "GENERAL PROTECTION FAULT",
    [EXC_PAGE_FAULT] = "PAGE FAULT",
    [EXC_X87_FP] = "X87 FLOATING-POINT EXCEPTION",
    [EXC_ALIGNMENT_CHECK] = "ALIGNMENT CHECK",
    [EXC_MACHINE_CHECK] = "MACHINE CHECK",
    [EXC_SIMD_FP] = "SIMD FLOATING-POINT EXCEPTION",
    [EXC_VIRTUALIZATION] = "VIRTUALIZATION EXCEPTION",
    [EXC_CONTROL_PROT] = "CONTROL PROTECTION EXCEPTION",
    [EXC_HYPERVISOR_INJECT] = "HYPERVISOR INJECTION EXCEPTION",
    [EXC_VMM_COMM] = "VMM COMMUNICATION EXCEPTION",
    [EXC_SECURITY] = "SECURITY EXCEPTION",
};

const char *exception_name(uint64_t vector)
{
    if (vector >= EXC_COUNT)
        return "INTERRUPT";
    return names[vector] != NULL ? names[vector] : "RESERVED";
}

bool exception_has_error_code(uint64_t vector)
{
    switch (vector) {
    case EXC_DOUBLE_FAULT:
    case EXC_INVALID_TSS:
    case EXC_SEGMENT_NP:
    case EXC_STACK_FAULT:
    case EXC_GENERAL_PROT:
    case EXC_PAGE_FAULT:
    case EXC_ALIGNMENT_CHECK:
    case EXC_CONTROL_PROT:
    case EXC_VMM_COMM:
    case EXC_SECURITY: return true;
    default: return false;
    }
}

int exception_pf_decode(uint32_t error_code, char *buf, size_t cap)
{
    return fmt_snprintf(
        buf, cap, "%s %s %s%s%s%s%s", error_code & PF_PRESENT ? "protection" : "not-present",
        error_code & PF_WRITE ? "write" : "read", error_code & PF_USER ? "user" : "kernel",
        error_code & PF_FETCH ? " instruction-fetch" : "",
        error_code & PF_RESERVED ? " reserved-bit" : "",
        error_code & PF_PKEY ? " protection-key" : "",
        error_code & PF_SHADOW ? " shadow-stack" : "");
}

int exception_format(const struct exception_info *info, char *buf, size_t cap)
{
    KASSERT(info != NULL);
    KASSERT(buf != NULL || cap == 0);
    bool page_fault = info->vector == EXC_PAGE_FAULT;
    char bits[96] = "";
    if (page_fault)
        exception_pf_decode((uint32_t)info->error_code, bits, sizeof(bits));
    char error_line[160] = "";
    if (exception_has_error_code(info->vector))
        fmt_snprintf(error_line, sizeof(error_line), "  error code 0x%llx%s%s%s\n",
                     (unsigned long long)info->error_code, page_fault ? " [" : "", bits,
                     page_fault ? "]" : "");
    char cr2_line[64] = "";
    if (page_fault)
        fmt_snprintf(cr2_line, sizeof(cr2_line), "  accessed address (CR2) 0x%llx\n",
                     (unsigned long long)info->cr2);
    return fmt_snprintf(buf, cap,
                        "EXCEPTION: %s (vector %llu)\n%s%s"
                        "  rip 0x%llx cs 0x%llx rflags 0x%llx rsp 0x%llx ss 0x%llx\n",
                        exception_name(info->vector), (unsigned long long)info->vector, error_line,
                        cr2_line, (unsigned long long)info->rip, (unsigned long long)info->cs,
                        (unsigned long long)info->rflags, (unsigned long long)info->rsp,
                        (unsigned long long)info->ss);
}
