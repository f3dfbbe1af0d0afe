#include <dlfcn.h>
#include <stdbool.h>

#include "util.h"
#include "dl.h"

int
dl_open(const char *soname, const char *purpose, const struct dl_sym *syms,
    size_t n)
{
	void *h;

	if (n > 0 && *syms[0].fn != NULL)
		return 0;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		gerr_set("%s (for %s): %s", soname, purpose, dlerror());
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((*syms[i].fn = dlsym(h, syms[i].name)) == NULL) {
			gerr_set("%s (for %s): no %s", soname, purpose,
			    syms[i].name);
			for (size_t k = 0; k < i; k++)
				*syms[k].fn = NULL;
			dlclose(h);
			return -1;
		}
	return 0;
}
