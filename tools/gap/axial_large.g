# tools/gap/axial_large.g -- the axial types S_{n-k} x H (k <= 5) of S_n at n = 11, 12,
# by explicit fixed vectors and their stabilizers (no subgroup lattice of S_n, and no use
# of relucert's overgroup lemma).
#
# For each k <= 5, each class of subgroups H of S_k (ConjugacyClassesSubgroups), put
# K = S_{n-k} x H (S_{n-k} on 1..n-k, H on n-k+1..n) and, for each irreducible rho:
#   1. dim Fix_rho(K) from GAP's generic character table CharacterTable("Symmetric", n);
#   2. the same dimension again by linear algebra in an explicit model of rho, and, when
#      it is 1, the spanning vector v:
#        std       = vectors on the points with sum 0,
#        [n-2,2]   = symmetric matrices, zero diagonal, zero row sums,
#        [n-2,1,1] = antisymmetric matrices with zero row sums,
#      (K-invariant vectors are constant on the K-orbits of points / 2-subsets /
#      ordered pairs);
#   3. the isotropy subgroup Stab_{S_n}(v): S_n acts on the n^2 ordered pairs (faithful
#      permutation action), v's level sets are sets of pairs, and Stab(v) is the
#      intersection of their set stabilizers (partition backtrack);
#   4. K is listed as axial when dim = 1 and |Stab(v)| = |K| (Stab(v) contains K).
#
# H is written as its canonical conjugate in S_k (common.g).
#
# Usage (from the repository root; runtime in README.md):
#   gap -q tools/gap/axial_large.g        # -> tools/gap/axial_large_n11_12.json

Read("tools/gap/common.g");

if not IsBound(LARGE_NS) then LARGE_NS := [11, 12]; fi;
if not IsBound(LARGE_OUT) then LARGE_OUT := "tools/gap/axial_large_n11_12.json"; fi;

# The K-invariant vectors of rho (a basis, as flat lists: length n for std, n^2 else).
FixedVectors := function(K, n, name)
  local cols, orbs, o, v, p, eqs, sol;
  if name = "std" then
    cols := [];
    for o in Orbits(K, [1 .. n]) do
      v := ListWithIdenticalEntries(n, 0);
      for p in o do v[p] := 1; od;
      Add(cols, v);
    od;
    eqs := List(cols, c -> [Sum(c)]);
  else
    cols := [];
    if name = "n-2,2" then
      orbs := Orbits(K, Combinations([1 .. n], 2), OnSets);
    else
      orbs := Orbits(K, Filtered(Tuples([1 .. n], 2), t -> t[1] <> t[2]), OnTuples);
    fi;
    for o in orbs do
      if name = "n-2,1,1" and [o[1][2], o[1][1]] in o then continue; fi;
      if name = "n-2,1,1" and ForAny(cols, c -> c[(o[1][2] - 1) * n + o[1][1]] <> 0) then
        continue;   # the opposite orbit, already taken with the other sign
      fi;
      v := ListWithIdenticalEntries(n * n, 0);
      for p in o do
        v[(p[1] - 1) * n + p[2]] := 1;
        if name = "n-2,2" then v[(p[2] - 1) * n + p[1]] := 1;
        else v[(p[2] - 1) * n + p[1]] := -1; fi;
      od;
      Add(cols, v);
    od;
    # Zero row sums.
    eqs := List(cols, c -> List([1 .. n], i -> Sum([1 .. n], j -> c[(i - 1) * n + j])));
  fi;
  if Length(cols) = 0 then return []; fi;
  sol := NullspaceMat(eqs);
  return List(sol, s -> s * cols);
end;

PairAction := n -> Action(SymmetricGroup(n), Tuples([1 .. n], 2), OnTuples);

Isotropy := function(v, n, name, G2)
  local vals, S, a, set;
  if name = "std" then
    S := SymmetricGroup(n);
    for a in Set(v) do
      S := Stabilizer(S, Filtered([1 .. n], i -> v[i] = a), OnSets);
    od;
    return Size(S);
  fi;
  S := G2;
  # Tuples([1..n],2) is ordered so that [i,j] is point (i-1)n + j.
  for a in Set(v) do
    set := Filtered([1 .. n * n], p -> v[p] = a);
    S := Stabilizer(S, set, OnSets);
  od;
  return Size(S);
end;

LargeCases := function()
  local cases, n, tbl, params, G2, ir, values, k, Hs, H, m, gens, K, dim, vecs, st,
        entries, candidates, can;
  cases := [];
  for n in LARGE_NS do
    tbl := CharacterTable("Symmetric", n);
    params := List(ClassParameters(tbl), p -> Reversed(SortedList(p[2])));
    G2 := PairAction(n);
    Assert(0, Tuples([1 .. 2], 2) = [[1, 1], [1, 2], [2, 1], [2, 2]]);
    for ir in IRREPS do
      values := IrrepValues(tbl, n, ir, params);
      entries := [];
      candidates := 0;
      for k in [0 .. 5] do
        m := n - k;
        if k = 0 then Hs := [Group(())];
        else Hs := List(ConjugacyClassesSubgroups(SymmetricGroup(k)), Representative); fi;
        for H in Hs do
          gens := [(1, 2), PermList(Concatenation([2 .. m], [1]))];
          Append(gens, List(GeneratorsOfGroup(H), h -> h ^ MappingPermListList([1 .. k],
            [m + 1 .. n])));
          K := Group(gens);
          Assert(0, Size(K) = Factorial(m) * Size(H));
          dim := FixDim(K, n, values, params);
          vecs := FixedVectors(K, n, ir[1]);
          if Length(vecs) <> dim then
            Error("character and explicit dimensions differ: ", ir[1], " ", H);
          fi;
          if dim = 1 then
            candidates := candidates + 1;
            st := Isotropy(vecs[1], n, ir[1], G2);
            if st = Size(K) then
              can := CanonicalSubgroup(H, k);
              Add(entries, rec(key := [k, Size(H), can.elements],
                json := Concatenation("{\"k\": ", String(k), ", \"h_order\": ",
                  String(Size(H)), ", \"h_structure\": ", JsonString(NormalStructure(H)),
                  ", \"h_generators\": ", JsonStrings(GeneratorStrings(can.generators)),
                  "}")));
            fi;
          fi;
        od;
      od;
      SortParallel(List(entries, e -> e.key), entries);
      Add(cases, Concatenation("    {\"n\": ", String(n), ", \"irrep\": ", JsonString(ir[1]),
        ", \"fixed_line_types\": ", String(candidates), ", \"axial\": [\n      ",
        JoinStringsWithSeparator(List(entries, e -> e.json), ",\n      "), "\n    ]}"));
    od;
  od;
  return cases;
end;

start := Runtime();
cases := LargeCases();
elapsed := Runtime() - start;
out := OutputTextFile(LARGE_OUT, false);
SetPrintFormattingStatus(out, false);
AppendTo(out, "{\n  \"generator\": \"tools/gap/axial_large.g\",\n",
  "  \"gap_version\": ", JsonString(GAPInfo.Version), ",\n",
  "  \"n\": ", JsonList(List(LARGE_NS, String)), ",\n",
  "  \"cases\": [\n", JoinStringsWithSeparator(cases, ",\n"), "\n  ]\n}\n");
CloseStream(out);
Print("wrote ", LARGE_OUT, " (", elapsed, " ms of computation)\n");
QUIT;
