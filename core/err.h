// Error codes returned by core/ and kernel functions: 0 is success, failures are negative.
#pragma once

enum {
    E_OK = 0,
    E_INVAL = -1,  // an argument is out of its documented domain
    E_NOMEM = -2,  // a resource (memory, frames, table slots) ran out
    E_RANGE = -3,  // a value or address lies outside the allowed range
    E_FORMAT = -4, // an input block is malformed
    E_ALIGN = -5,  // an address or size is not aligned as required
    E_EXIST = -6,  // the thing to create is already there (e.g. page already mapped)
    E_NOENT = -7,  // the thing asked for is not there
    E_TOOBIG = -8, // the input holds more than the fixed capacity can take
    E_IO = -9,     // a device did not respond as expected
    E_BUSY = -10,  // the resource is in use (e.g. a queue is full)
    E_HUGE = -11,  // a huge page is in the way of the operation
};

// Returns a short constant description of an error code ("invalid argument"), or
// "unknown error" for a code that is not listed above. Never NULL.
const char *err_str(int code);
