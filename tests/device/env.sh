# SPDX-License-Identifier: GPL-3.0-or-later
# env.sh: sourced from a Wordloom bundle (tests/device/bundle.sh) to run its programs on a
# foreign x86-64 Linux: the bundle's libraries first, and OpenCL drivers found the way
# ocl-icd finds them, with NVIDIA's added when the machine has its library but no ICD file.
bundle=$(cd "$(dirname "${0}")" && pwd)
[ -d "$bundle/lib" ] || bundle=$(pwd)
export LD_LIBRARY_PATH="$bundle/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$bundle/bin:$PATH"

if [ -z "${OCL_ICD_VENDORS:-}" ]; then
  vendors="$bundle/vendors"
  rm -rf "$vendors"
  mkdir -p "$vendors"
  # The machine's own ICD files (pocl, NVIDIA, AMD, Intel), if any.
  for f in /etc/OpenCL/vendors/*.icd; do
    [ -f "$f" ] && cp "$f" "$vendors/"
  done
  if ! grep -qs nvidia "$vendors"/*.icd; then
    # NVIDIA's container images and Firecracker guests often have the driver's libraries
    # (under /usr/local/nvidia or the system folder) without /etc/OpenCL/vendors.
    nv=$(ldconfig -p 2>/dev/null | awk '$1 == "libnvidia-opencl.so.1" { print $NF; exit }')
    for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
      [ -n "$nv" ] && break
      [ -e "$d/libnvidia-opencl.so.1" ] && nv="$d/libnvidia-opencl.so.1"
    done
    [ -n "$nv" ] && echo "$nv" > "$vendors/nvidia.icd"
  fi
  export OCL_ICD_VENDORS="$vendors"
fi
