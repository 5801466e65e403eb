/* empty: see ../../kshim.h */
