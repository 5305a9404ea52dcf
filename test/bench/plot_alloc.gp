# Chart of bench_alloc's CSV: grouped bars of the median ns/op, one group per trace, one bar per
# allocator, log scale (the values span three orders of magnitude); "oom" marks a design that ran
# out of the region, "n/a" an allocator that was not installed. Writes <out>.svg and <out>.png.
#
#   gnuplot -e "csv='build/bench/alloc.csv'; out='build/bench/alloc'" test/bench/plot_alloc.gp
#
# The CSV has one row per trace x allocator, trace-major, the allocators always in the order of
# `names` below (bench_alloc writes a row even for a skipped one), columns: trace, allocator,
# ops, median_ns, p99_ns, max_ns, span_ratio, occupancy_at_failure, failure_op, status.

if (!exists("csv")) csv = 'build/bench/alloc.csv'
if (!exists("out")) out = 'build/bench/alloc'
names = "bump linked_list fixed_block glibc jemalloc mimalloc"
N = words(names)

set datafile separator ','

# The trace names, from every N-th row, become the x tics 0, 1, 2, ...
labels = ''
stats csv skip 1 using (labels = labels . (int($0) % N == 0 ? strcol(1) . ' ' : ''), 0) nooutput
T = words(labels)
set xtics () rotate by 30 right noenhanced nomirror
do for [i = 1:T] { set xtics add (word(labels, i) i - 1) }

w = 1.0 / (N + 1)
x(k) = floor($0 / N) + (k - (N + 1) / 2.0) * w
mine(k) = strcol(2) eq word(names, k)
set boxwidth w
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set xrange [-0.6:T - 0.4]
set grid ytics mytics
set ylabel 'median ns per operation (log scale)'
set title sprintf('core/alloc designs vs system allocators, same traces (%s)', csv) noenhanced
set key outside right top noenhanced
set label 1 'lower is better' at graph 0.01, graph 0.97 font ',9'

do for [fmt in "svg png"] {
    if (fmt eq 'svg') {
        set terminal svg size 1500,650 dynamic noenhanced font 'sans,11' background '#ffffff'
    } else {
        set terminal pngcairo size 1500,650 noenhanced font 'sans,10' background '#ffffff'
    }
    set output out . '.' . fmt
    plot for [k = 1:N] csv skip 1 using (x(k)):(mine(k) ? column(4) : NaN) \
             with boxes lc k title word(names, k), \
         for [k = 1:N] csv skip 1 \
             using (x(k)):(mine(k) && strcol(10) ne 'ok' ? 1.6 : NaN):(strcol(10) eq 'oom' ? 'oom' : 'n/a') \
             with labels rotate by 90 font ',8' notitle
    unset output
}
