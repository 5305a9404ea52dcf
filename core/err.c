// Descriptions of the error codes of core/err.h.
#include "core/err.h"

const char *err_str(int code)
{
    switch (code) {
    case E_OK: return "success";
    case E_INVAL: return "invalid argument";
    case E_NOMEM: return "out of memory";
    case E_RANGE: return "out of range";
    case E_FORMAT: return "malformed input";
    case E_ALIGN: return "misaligned";
    case E_EXIST: return "already exists";
    case E_NOENT: return "not found";
    case E_TOOBIG: return "too many entries";
    case E_IO: return "device not responding";
    case E_BUSY: return "busy";
    case E_HUGE: return "huge page in the way";
    default: return "unknown error";
    }
}
