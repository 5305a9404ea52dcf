# Mutation testing of core/ against the host unit tests (scripts/mutate.py): each sampled mutant of
# a file is compiled into a scratch copy of $(UNIT_LIB) under $(BUILD)/mutate/, and the unit
# programs that can reach the mutated object run against it. The working tree is never written.

# Mutants per file (0: every one). 500 takes every mutant of all but the four largest files
# (fmt, frame, paging, linked_list: 500-725 each). Every mutant of core/ (6423, 4986 of them
# neither invalid nor equivalent) took 13 to 21 minutes on 2 busy cores; 500 a file takes about a
# tenth less. The seed and the file's name pick the sample.
MUTATE_SAMPLE ?= 500
MUTATE_SEED ?= 1
MUTATE_JOBS ?= 2
MUTATE_MIN_SCORE ?= 0
MUTATE_RECHECK ?= 0
MUTATE_EQUIVALENT := test/mutate/equivalent.txt
# FILES='core/a.c core/b/c.c' picks the files (default: every core/ source, not the generated font).
MUTATE_FILES = $(or $(FILES),$(filter-out $(CORE_GEN_SRCS),$(CORE_SRCS)))

.PHONY: mutate check-mutate
## mutate  mutation testing of core/ against the unit tests: FILES='core/x.c ...' (default all),
##   MUTATE_SAMPLE=N mutants a file (0: all), MUTATE_SEED, MUTATE_MIN_SCORE=P fails below P%
##   killed, MUTATE_RECHECK=1 also runs the mutants argued equivalent (fails if one is killed);
##   a score per file and the survivors as diffs; resumes from $(BUILD)/mutate/
mutate: unit-build
	@$(PYTHON) scripts/mutate.py --build $(BUILD)/mutate --cc $(call shell-quote,$(CC)) \
		--cflags=$(call shell-quote,$(filter-out -MMD -MP,$(HCFLAGS)) $(STRICT_WARN) -fPIC) \
		--file-cflags=$(call shell-quote,core/string.c=$(STRING_RENAME)) \
		--tce-drop=$(call shell-quote,$(SANITIZE) -g) \
		--ldflags=$(call shell-quote,$(HLDFLAGS)) --libs=$(call shell-quote,$(HLIBS)) \
		--lib-name $(notdir $(UNIT_LIB)) --objdir $(BUILD)/host --lib-objs $(UNIT_LIB_OBJS) \
		--programs $(UNIT_BINS) --files $(MUTATE_FILES) --sample $(MUTATE_SAMPLE) \
		--seed $(MUTATE_SEED) --jobs $(MUTATE_JOBS) --equivalent $(MUTATE_EQUIVALENT) \
		--min-score $(MUTATE_MIN_SCORE) $(if $(filter-out 0,$(MUTATE_RECHECK)),--recheck-argued)

CHECKS += check-mutate
## check-mutate  the mutation tool's own tests (scripts/test_mutate.py: a tiny library and test)
check-mutate:
	@$(PYTHON) scripts/test_mutate.py
