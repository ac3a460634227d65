/* The implementation as a DLL (HTTPX_DLL: __declspec(dllexport)). */
#define HTTPX_DLL
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"
