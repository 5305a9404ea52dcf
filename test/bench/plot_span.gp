# Chart of bench_alloc's span_over_time.csv: one panel per trace, one line per arena design, the
# live span (the highest end of any live block, from the region's start) over the live bytes at
# each of the samples through the trace, log scale; 1 is a perfectly packed heap. The samples stop
# at the trace's end moment (its last allocation: the frees after it only empty the heap); a line
# that stops before the others is a design that ran out of the region there. Later designs are
# drawn thinner, over the earlier ones, so lines that coincide stay visible. Writes <out>.svg.
#
#   gnuplot -e "csv='build/bench/span_over_time.csv'; out='build/bench/span_over_time'" \
#       test/bench/plot_span.gp
#
# The CSV (test/bench/alloc_picture.h) has one row per sample, trace by trace and design by
# design, columns: trace, design, op, ops, live, live_span, high_water. The traces and designs
# are taken from it, in their order there.

if (!exists("csv")) csv = 'build/bench/span_over_time.csv'
if (!exists("out")) out = 'build/bench/span_over_time'

set datafile separator ','

# The distinct traces and designs, as space-separated lists.
add(list, w) = strstrt(list, ' ' . w . ' ') > 0 ? list : list . w . ' '
traces = ' '
designs = ' '
stats csv skip 1 using (traces = add(traces, strcol(1)), designs = add(designs, strcol(2)), 0) \
    nooutput
T = words(traces)
D = words(designs)
cols = 3
rows = int((T + cols - 1) / cols)

set terminal svg size 1500, 360 * rows dynamic noenhanced font 'sans,11' background '#ffffff'
set output out . '.svg'
set multiplot layout rows, cols title 'live span / live bytes through each trace (1 is a perfectly packed heap; live span: the highest end of any live block)' noenhanced
set logscale y
set grid xtics ytics mytics
set xrange [0:100]
set xlabel '% of the trace'
set key top left noenhanced
mine(t, d) = strcol(1) eq t && strcol(2) eq d && column(5) > 0
do for [i = 1:T] {
    tr = word(traces, i)
    set title tr noenhanced
    if (i > 1) { unset key }
    plot for [k = 1:D] csv skip 1 \
        using (mine(tr, word(designs, k)) ? 100.0 * column(3) / column(4) : NaN):(column(6) / column(5)) \
        with lines lw 1.2 * (D - k + 1) lc k title word(designs, k)
}
unset multiplot
unset output
