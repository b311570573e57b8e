# SPDX-License-Identifier: GPL-2.0
# Extra rules for the base tree's tools/testing/radix-tree/Makefile, given
# as a second -f by scripts/maple-test.sh: rcu_stress is compiled with the
# suite's flags (AddressSanitizer, UBSan, liburcu) and linked with its
# objects, which hold lib/maple_tree.c (maple.o) and the poisoning
# kmem_cache (linux.o). RCU_STRESS_SRC is the path of rcu_stress.c.

rcu_stress.o: $(RCU_STRESS_SRC) $(CORE_OFILES)
	$(CC) $(CFLAGS) -Werror -c -o $@ $(RCU_STRESS_SRC)

rcu_stress: rcu_stress.o $(CORE_OFILES)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
