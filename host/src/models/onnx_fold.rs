//! Load-time fold of weight-only quantisation: every `DequantizeLinear` whose inputs are all
//! initializers becomes an fp32 initializer.
//!
//! Why: models are stored with int8 weights (4× smaller on disk), but tract does not
//! constant-fold a `DequantizeLinear` whose output exceeds its 4 MiB folding budget, so the
//! 250k-row embedding table would be dequantised on every run (14× slower). Folding here, on
//! the protobuf, before tract sees the graph, gives fp32 speed from an int8 file.

use std::collections::{HashMap, HashSet};
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{ModelProto, NodeProto, TensorProto};

/// Folds what can be folded; returns how many nodes were replaced.
pub fn fold_dequantize_linear(proto: &mut ModelProto) -> Result<usize, String> {
    let Some(graph) = proto.graph.as_mut() else { return Err("the model has no graph".into()) };
    let index: HashMap<String, usize> =
        graph.initializer.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut kept = Vec::with_capacity(graph.node.len());
    let mut folded = Vec::new();
    let mut consumed = HashSet::new();
    for node in std::mem::take(&mut graph.node) {
        let foldable = node.op_type == "DequantizeLinear"
            && (node.domain.is_empty() || node.domain == "ai.onnx")
            && node.output.len() == 1
            && (2..=3).contains(&node.input.len())
            && node.input.iter().all(|i| index.contains_key(i));
        if !foldable {
            kept.push(node);
            continue;
        }
        let get = |k: usize| node.input.get(k).map(|name| &graph.initializer[index[name]]);
        let tensor = dequantize(&node, get(0).unwrap(), get(1).unwrap(), get(2))
            .map_err(|e| format!("DequantizeLinear `{}`: {e}", node.name))?;
        consumed.extend(node.input.iter().cloned());
        folded.push(tensor);
    }
    graph.node = kept;
    // Drop quantised initializers nobody reads any more, to free their memory now.
    let still_used: HashSet<&str> = graph
        .node
        .iter()
        .flat_map(|n| n.input.iter().map(String::as_str))
        .chain(graph.output.iter().map(|o| o.name.as_str()))
        .collect();
    let consumed: HashSet<String> = consumed.into_iter().filter(|n| !still_used.contains(n.as_str())).collect();
    graph.initializer.retain(|t| !consumed.contains(&t.name));
    let n = folded.len();
    graph.initializer.extend(folded);
    Ok(n)
}

fn values(t: &TensorProto) -> Result<Vec<f32>, String> {
    let raw = &t.raw_data;
    let from_raw = !raw.is_empty();
    Ok(match DataType::try_from(t.data_type).map_err(|_| format!("unknown data type {}", t.data_type))? {
        DataType::Int8 if from_raw => raw.iter().map(|&b| b as i8 as f32).collect(),
        DataType::Uint8 if from_raw => raw.iter().map(|&b| b as f32).collect(),
        DataType::Int8 | DataType::Uint8 | DataType::Int32 if !from_raw => {
            t.int32_data.iter().map(|&v| v as f32).collect()
        }
        DataType::Int32 => raw.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap()) as f32).collect(),
        DataType::Float if from_raw => raw.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect(),
        DataType::Float => t.float_data.clone(),
        other => return Err(format!("unsupported data type {other:?}")),
    })
}

fn dequantize(
    node: &NodeProto,
    x: &TensorProto,
    scale: &TensorProto,
    zero: Option<&TensorProto>,
) -> Result<TensorProto, String> {
    let xs = values(x)?;
    let scales = values(scale)?;
    let zeros = match zero {
        Some(z) => values(z)?,
        None => vec![0.0; scales.len()],
    };
    let dims: Vec<usize> =
        x.dims.iter().map(|&d| usize::try_from(d).map_err(|_| "negative dimension")).collect::<Result<_, _>>()?;
    if xs.len() != dims.iter().product::<usize>() {
        return Err(format!("{} values for shape {dims:?}", xs.len()));
    }
    if zeros.len() != scales.len() || scales.is_empty() {
        return Err("scale and zero point do not match".into());
    }
    let mut out = Vec::with_capacity(xs.len() * 4);
    if scales.len() == 1 {
        for v in &xs {
            out.extend_from_slice(&((v - zeros[0]) * scales[0]).to_le_bytes());
        }
    } else {
        let axis = node.attribute.iter().find(|a| a.name == "axis").map_or(1, |a| a.i);
        let axis = if axis < 0 { axis + dims.len() as i64 } else { axis };
        let axis = usize::try_from(axis).ok().filter(|&a| a < dims.len()).ok_or("axis out of range")?;
        if dims[axis] != scales.len() {
            return Err(format!("{} scales for axis {axis} of length {}", scales.len(), dims[axis]));
        }
        let inner: usize = dims[axis + 1..].iter().product();
        for (i, v) in xs.iter().enumerate() {
            let c = (i / inner) % dims[axis];
            out.extend_from_slice(&((v - zeros[c]) * scales[c]).to_le_bytes());
        }
    }
    Ok(TensorProto {
        dims: x.dims.clone(),
        data_type: DataType::Float as i32,
        name: node.output[0].clone(),
        raw_data: out,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::{AttributeProto, GraphProto};

    fn init(name: &str, dims: &[i64], data_type: DataType, raw: Vec<u8>) -> TensorProto {
        TensorProto {
            name: name.into(),
            dims: dims.to_vec(),
            data_type: data_type as i32,
            raw_data: raw,
            ..Default::default()
        }
    }

    #[test]
    fn per_channel_weights_become_fp32() {
        // x = [[1, -2], [3, 4]] int8, scales per column (axis 1) = [0.5, 2], zero 0
        let x = init("w_q", &[2, 2], DataType::Int8, vec![1u8, (-2i8) as u8, 3, 4]);
        let s = init("w_s", &[2], DataType::Float, [0.5f32, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect());
        let z = init("w_z", &[2], DataType::Int8, vec![0, 0]);
        let node = NodeProto {
            input: vec!["w_q".into(), "w_s".into(), "w_z".into()],
            output: vec!["w".into()],
            op_type: "DequantizeLinear".into(),
            attribute: vec![AttributeProto { name: "axis".into(), i: 1, ..Default::default() }],
            ..Default::default()
        };
        let user = NodeProto {
            input: vec!["in".into(), "w".into()],
            output: vec!["out".into()],
            op_type: "MatMul".into(),
            ..Default::default()
        };
        let mut proto = ModelProto {
            graph: Some(GraphProto { node: vec![node, user], initializer: vec![x, s, z], ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(fold_dequantize_linear(&mut proto).unwrap(), 1);
        let g = proto.graph.unwrap();
        assert_eq!(g.node.len(), 1);
        assert_eq!(g.initializer.len(), 1);
        let w: Vec<f32> =
            g.initializer[0].raw_data.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
        assert_eq!(w, vec![0.5, -4.0, 1.5, 8.0]);
    }
}
