package bilinear.engine.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns BPE merges from a list of pre-tokens. Counts every adjacent pair over the distinct
 * pre-tokens weighted by their frequency; repeatedly takes the pair with the highest count (ties:
 * the smallest ids (a, b)), replaces it in every word that holds it, left to right without
 * overlap, and updates the counts of the pairs that changed. A priority queue with lazy deletion
 * (stale entries are skipped when their count no longer matches) keeps each step cheap.
 */
final class BpeTrainer {
    private BpeTrainer() {
    }

    /** Replaces (a, b) by {@code id} in w[0, n); returns the new length. */
    static int mergeInPlace(int[] w, int n, int a, int b, int id) {
        int out = 0;
        for (int i = 0; i < n; ) {
            if (i + 1 < n && w[i] == a && w[i + 1] == b) {
                w[out++] = id;
                i += 2;
            } else {
                w[out++] = w[i++];
            }
        }
        return out;
    }

    private record Entry(long count, int a, int b) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            if (count != o.count) {
                return Long.compare(o.count, count);  // highest count first
            }
            if (a != o.a) {
                return Integer.compare(a, o.a);
            }
            return Integer.compare(b, o.b);
        }
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    static int[][] merges(List<String> pretokens, int maxMerges) {
        Map<String, Integer> freq = new LinkedHashMap<>();
        for (String s : pretokens) {
            freq.merge(s, 1, Integer::sum);
        }
        List<int[]> words = new ArrayList<>(freq.size());
        int[] lengths = new int[freq.size()];
        long[] counts = new long[freq.size()];
        int wi = 0;
        for (Map.Entry<String, Integer> e : freq.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[bytes.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = bytes[i] & 0xff;
            }
            words.add(w);
            lengths[wi] = w.length;
            counts[wi++] = e.getValue();
        }
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            for (int j = 0; j + 1 < lengths[i]; j++) {
                long k = key(w[j], w[j + 1]);
                pairCount.merge(k, counts[i], Long::sum);
                where.computeIfAbsent(k, x -> new HashSet<>()).add(i);
            }
        }
        PriorityQueue<Entry> heap = new PriorityQueue<>();
        pairCount.forEach((k, c) -> heap.add(new Entry(c, (int) (k >>> 32), (int) (long) k)));
        List<int[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges && !heap.isEmpty()) {
            Entry top = heap.poll();
            long k = key(top.a, top.b);
            Long current = pairCount.get(k);
            if (current == null || current != top.count || top.count <= 0) {
                continue;  // stale
            }
            int id = 256 + merges.size();
            merges.add(new int[] {top.a, top.b});
            Set<Long> changed = new HashSet<>();
            Set<Integer> holders = where.remove(k);
            for (int i : holders == null ? Set.<Integer>of() : holders) {
                int[] w = words.get(i);
                int n = lengths[i];
                if (n < 2) {
                    continue;
                }
                int[] before = java.util.Arrays.copyOf(w, n);
                int m = mergeInPlace(w, n, top.a, top.b, id);
                if (m == n) {
                    continue;  // stale membership
                }
                lengths[i] = m;
                for (int j = 0; j + 1 < n; j++) {
                    long q = key(before[j], before[j + 1]);
                    pairCount.merge(q, -counts[i], Long::sum);
                    changed.add(q);
                }
                for (int j = 0; j + 1 < m; j++) {
                    long q = key(w[j], w[j + 1]);
                    pairCount.merge(q, counts[i], Long::sum);
                    changed.add(q);
                    where.computeIfAbsent(q, x -> new HashSet<>()).add(i);
                }
            }
            for (long q : changed) {
                long c = pairCount.getOrDefault(q, 0L);
                if (c <= 0) {
                    pairCount.remove(q);
                } else {
                    heap.add(new Entry(c, (int) (q >>> 32), (int) q));
                }
            }
        }
        return merges.toArray(new int[0][]);
    }
}
